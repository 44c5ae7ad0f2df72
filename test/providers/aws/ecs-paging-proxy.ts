import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One ECS call as it crossed the proxy: the action ("ListServices") and its JSON request body. */
export interface EcsCall {
  action: string;
  body: Record<string, unknown>;
}

/** Actions moto answers in one page; the proxy pages them, so clients' nextToken loops really run. */
const PAGED: Record<string, string> = { ListServices: 'serviceArns', ListClusters: 'clusterArns' };
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'expect']);

/**
 * A loopback HTTP proxy in front of moto that records every ECS call and pages ListServices/ListClusters
 * (moto ignores maxResults and never returns nextToken): at most `pageSize` items a page, nextToken an offset.
 */
export async function ecsPagingProxy(upstream: string, pageSize: number): Promise<{ endpoint: string; calls: EcsCall[]; close(): Promise<void> }> {
  const calls: EcsCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        const action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        calls.push({ action, body });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
        const up = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body: raw || undefined });
        let text = await up.text();
        const key = PAGED[action];
        if (key && up.ok) {
          const all = JSON.parse(text) as Record<string, string[]>;
          const from = Number(body.nextToken ?? 0);
          const size = Math.min(pageSize, Number(body.maxResults ?? Infinity));
          const page: Record<string, unknown> = { [key]: all[key].slice(from, from + size) };
          if (from + size < all[key].length) page.nextToken = String(from + size);
          text = JSON.stringify(page);
        }
        const out: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(up.status, out);
        res.end(text);
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
