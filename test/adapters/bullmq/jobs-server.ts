import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RollingWindowServer } from '../../limit/servers.js';

/** What the server does with attempt `k` (1-based) of job `n`. */
export type Script = (n: number, k: number) => { status: number; headers?: Record<string, string> } | 'ok';

/**
 * A local API for the job tests: a rolling-window limit (answers 429 past it, counted apart from
 * the scripted faults), faults scripted per job and attempt, every request counted per job.
 * A 401 echoes the request's Authorization header in its body, as a careless server does.
 */
export async function startJobsServer(limits: { calls: number; windowMs: number }, script: Script) {
  const limit = new RollingWindowServer({ calls: limits.calls, tokens: 1e12, windowMs: limits.windowMs });
  const requests = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
    const k = (requests.get(n) ?? 0) + 1;
    requests.set(n, k);
    if (limit.arrive(Date.now(), 0) !== 'ok') {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('over the limit');
      return;
    }
    const answer = script(n, k);
    if (answer === 'ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n }));
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    const echo = answer.status === 401 ? ` for ${req.headers.authorization}` : '';
    res.end(JSON.stringify({ message: `scripted ${answer.status}${echo}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    limit,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
