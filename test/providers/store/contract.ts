import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { reportIncident } from '../../../src/core/incidents/report.js';
import { noteIncident, reopenIncident, resolveIncident } from '../../../src/core/incidents/resolve.js';
import type { IncidentStore } from '../../../src/core/ports.js';
import { RACE_FAILURES } from './race-failures.js';

const at = (s: string) => new Date(`2026-11-0${s}Z`);
const rep = (store: IncidentStore, service: string, text: string, when: string) => reportIncident(store, { service, text, source: 'log', who: 'alice', at: at(when) });

function worker(target: string, barrier: string, tag: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'test/providers/store/report-worker.ts', target, barrier, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`worker ${tag} exited ${code}: ${err}`))));
  });
}

export interface StoreFactory {
  /** A fresh, empty store; `target` opens it again (a path or URL), `barrier` is a file path the race test may create. */
  fresh(): Promise<{ store: IncidentStore; target: string; barrier: string }>;
  reopen(target: string): Promise<IncidentStore>;
}

/** The behaviour every IncidentStore must have. */
export function storeContract(f: StoreFactory): void {
  const open = () => f.fresh();
  it('new → existing → resolved → regression, with counts, times and the link', async () => {
    const { store } = await open();
    try {
      const a = await rep(store, 'lambda-x', 'Lambda timeout after 30s', '1T10:00:00');
      expect(a.status).toBe('new');
      const b = await rep(store, 'lambda-x', 'Lambda timeout 30 seconds', '1T11:00:00');
      expect(b).toMatchObject({ status: 'existing', incident: { id: a.incident.id, occurrences: 2, lastSeenAt: '2026-11-01T11:00:00.000Z' } });
      expect((await rep(store, 'other-svc', 'Lambda timeout after 30s', '1T12:00:00')).status).toBe('new');
      expect((await rep(store, 'lambda-x', 'Lambda out of memory: signal killed', '1T12:00:00')).status).toBe('new');
      await resolveIncident(store, a.incident.id, { text: 'rolling back lambda-x to :41', by: 'bob', at: at('2T09:00:00') });
      await expect(resolveIncident(store, a.incident.id, { text: 'again', by: 'bob', at: at('2T09:00:00') })).rejects.toThrow(/already resolved/);
      const c = await rep(store, 'lambda-x', 'Task timed out: Lambda timeout after 29s', '3T10:00:00');
      expect(c.status).toBe('regression');
      expect(c.previous).toMatchObject({ id: a.incident.id, resolution: 'rolling back lambda-x to :41', resolvedBy: 'bob', occurrences: 2 });
      expect(c.incident.regressionOf).toBe(a.incident.id);
      // The regression's own repeats fold into it, not into the old incident.
      expect((await rep(store, 'lambda-x', 'Lambda timeout after 31s', '3T11:00:00'))).toMatchObject({ status: 'existing', incident: { id: c.incident.id } });
      expect((await store.occurrences(a.incident.id)).map((o) => o.text)).toEqual(['Lambda timeout after 30s', 'Lambda timeout 30 seconds']);
      expect((await store.list({ status: 'open', service: 'lambda-x' })).length).toBe(2);
      expect((await store.list({ since: '2026-11-03T00:00:00.000Z' })).map((i) => i.id)).toEqual([c.incident.id]);
    } finally {
      await store.close();
    }
  });

  it('notes, reopen (clears the resolution, keeps it as a note), unknown ids', async () => {
    const { store } = await open();
    try {
      const a = await rep(store, 'web', 'ERROR disk full on /var/lib/data', '1T10:00:00');
      await noteIncident(store, a.incident.id, { text: 'paged storage', who: 'alice', at: at('1T10:05:00') });
      await resolveIncident(store, a.incident.id, { text: 'cleaned /var/lib/data', by: 'alice', at: at('1T11:00:00') });
      const r = await reopenIncident(store, a.incident.id, 'bob', at('1T12:00:00'));
      expect(r).toMatchObject({ status: 'open' });
      expect(r.resolution).toBeUndefined();
      expect((await store.notes(a.incident.id)).map((n) => n.text)).toEqual(['paged storage', 'reopened (was resolved 2026-11-01T11:00:00.000Z by alice: cleaned /var/lib/data)']);
      await expect(reopenIncident(store, a.incident.id, 'bob', at('1T12:00:00'))).rejects.toThrow(/already open/);
      await expect(noteIncident(store, 9999, { text: 'x', who: 'a', at: at('1T00:00:00') })).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/no incident INC-9999/) });
      expect(await store.get(9999)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('two processes reporting the same failures at once make one incident each, with two occurrences', async () => {
    const { store, target, barrier } = await open();
    await store.close();
    const both = Promise.all([worker(target, barrier, 'one'), worker(target, barrier, 'two')]);
    // Both workers have opened the store (and migrated) and said so; then they start together.
    while (!existsSync(`${barrier}.one.ready`) || !existsSync(`${barrier}.two.ready`)) await new Promise((r) => setTimeout(r, 20));
    writeFileSync(barrier, 'go');
    const [one, two] = await both;
    const again = await f.reopen(target);
    try {
      const all = await again.list({ service: 'race-svc' });
      expect(all.length).toBe(RACE_FAILURES.length);
      expect(all.every((i) => i.occurrences === 2)).toBe(true);
      for (let k = 0; k < RACE_FAILURES.length; k++) expect([one[k], two[k]].sort()).toEqual(['existing', 'new']);
    } finally {
      await again.close();
    }
  }, 120_000);
}
