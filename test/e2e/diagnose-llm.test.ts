import { cp } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/errors.js';
import type { DiagnoseJsonV1 } from '../../src/output/diagnose-json.js';
import { OllamaTestServer, type OllamaChatBody } from '../helpers/ollama-server.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

/** What the scripted model answers next. */
let reply: (body: OllamaChatBody) => string = () => '';
const ollama = new OllamaTestServer({ reply: (b) => reply(b) });
const dirs = tempDirs('opsctl-diagnose-llm-');
let cwd = '';
let host = '';

const DIAGNOSIS = {
  root_cause: 'The export job loads 250k-row batches into one list and exhausts the 512 MB heap',
  fix: 'Stream the export in pages, or raise -Xmx to 1g',
  yaml_patch: 'env:\n  - name: JAVA_OPTS\n    value: "-Xmx1g"',
  severity: 'high',
  components: ['ExportJob'],
  evidence: [{ source: 'logs/java-oom.log', lines: '7-9', text: 'java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)' }],
  next_steps: ['Check heap usage of the export job', 'Page the export'],
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
  await cp(resolve('test/fixtures/logs/diagnose'), join(cwd, 'logs'), { recursive: true });
  host = await ollama.start();
}, 60_000);
afterAll(async () => {
  await ollama.stop();
  await dirs.cleanup();
});
beforeEach(() => ollama.requests.splice(0));

const run = (args: string[], env: Record<string, string> = { OLLAMA_HOST: host }) => runOpsctl(['diagnose', 'logs/java-oom.log', '--llm', 'ollama', ...args], { cwd, env });
const chats = () => ollama.requests.filter((r) => r.path === '/api/chat');

describe('diagnose --llm ollama (loopback Ollama)', () => {
  it('returns the model diagnosis when its evidence points at kept lines', async () => {
    reply = () => `Here is the diagnosis:\n\`\`\`json\n${JSON.stringify(DIAGNOSIS)}\n\`\`\``;
    const r = await run(['--json']);
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(doc.llm).toEqual({ used: true, model: 'ollama:llama3.1' });
    expect(doc.category).toBe('oom');
    expect(doc.root_cause).toBe(DIAGNOSIS.root_cause);
    expect(doc.yaml_patch).toBe(DIAGNOSIS.yaml_patch);
    expect(doc.evidence).toEqual(DIAGNOSIS.evidence);
    expect(doc.runbooks[0].file).toMatch(/memory-oomkilled\.md$/);
    // The prompt carried the numbered kept lines and asked for JSON.
    const body = chats()[0].body as OllamaChatBody;
    expect(body.messages[0].content).toMatch(/ONE JSON object/);
    expect(body.messages[1].content).toMatch(/^logs\/java-oom\.log:7: java\.lang\.OutOfMemoryError: Java heap space$/m);
    expect(body.options?.temperature).toBe(0);
  });

  it('flags and drops an invented evidence line, keeping the real one', async () => {
    const invented = { source: 'logs/java-oom.log', lines: '42', text: 'Killed process 4242 (java) total-vm:2097152kB' };
    reply = () => JSON.stringify({ ...DIAGNOSIS, evidence: [...DIAGNOSIS.evidence, invented] });
    const r = await run(['--json']);
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(doc.evidence).toEqual(DIAGNOSIS.evidence);
    expect(doc.llm.rejected_evidence).toEqual([{ ...invented, reason: 'line 42 was not among the kept lines' }]);
    expect(r.stderr).toMatch(/1 evidence item\(s\) from the model did not match the kept lines/);
    const text = await run([]);
    expect(text.stdout).toMatch(/^Dropped 1 evidence item\(s\) from the model that do not match the log:\n {2}logs\/java-oom\.log:42 \(line 42 was not among the kept lines\)$/m);
    expect(text.stdout).toMatch(/^Category: oom \(by ollama:llama3\.1\)/m);
  });

  it('falls back to the offline diagnosis (exit 7) when the reply is not a diagnosis', async () => {
    reply = () => 'I think it is probably memory.';
    const r = await run(['--json']);
    expect(r.code).toBe(EXIT.ANSWERED_WITHOUT_LLM);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(doc.llm.used).toBe(false);
    expect(doc.llm.error).toMatch(/did not return a JSON diagnosis/);
    expect(doc.category).toBe('oom');
    expect(doc.evidence.length).toBeGreaterThan(0);
  });

  it('Ollama down: offline diagnosis, the reason on stderr, exit 7', async () => {
    const r = await run(['--json'], { OLLAMA_HOST: `127.0.0.1:${await freePort()}` });
    expect(r.code).toBe(EXIT.ANSWERED_WITHOUT_LLM);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(doc.llm.used).toBe(false);
    expect(doc.llm.error).toBeTruthy();
    expect(doc.root_cause).toMatch(/ran out of memory/);
    expect(r.stderr).toMatch(/^opsctl: diagnosed without the LLM: /m);
  });

  it('does not call the model when there is no evidence (exit 3)', async () => {
    const r = await runOpsctl(['diagnose', 'logs/clean.log', '--llm', 'ollama', '--json'], { cwd, env: { OLLAMA_HOST: host } });
    expect(r.code).toBe(EXIT.NO_MATCH);
    expect(chats()).toHaveLength(0);
  });
});
