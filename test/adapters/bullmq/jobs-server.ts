import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A rolling limit of `calls` per `windowMs` judged at the time each request was sent (its
 * `x-sent-at` header, the client's clock just before the request): a request is refused if, with
 * it, any window [a, a + windowMs) would hold more than `calls` of the accepted ones. Exact in any
 * arrival order, so what it judges is the limiter's admissions, not how long the request then took
 * to reach this server on a loaded machine (the safety margin's business).
 */
export class SentTimeLimit {
  readonly sent: number[] = [];
  rejected = 0;

  constructor(
    private readonly calls: number,
    private readonly windowMs: number,
  ) {}

  arrive(at: number): 'ok' | 429 {
    const near = this.sent.filter((t) => t > at - this.windowMs && t < at + this.windowMs);
    near.push(at);
    near.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < near.length; i++) {
      while (near[i]! - near[j]! >= this.windowMs) j++;
      if (i - j + 1 > this.calls) {
        this.rejected++;
        return 429;
      }
    }
    this.sent.push(at);
    return 'ok';
  }
}

/** What the server does with attempt `k` (1-based) of job `n`. */
export type Script = (n: number, k: number) => { status: number; headers?: Record<string, string> } | 'ok';

/**
 * A local API for the job tests: a rolling-window limit on the requests' send times (answers 429
 * past it, counted apart from the scripted faults), faults scripted per job and attempt, every
 * request counted per job.
 * A 401 echoes the request's Authorization header in its body, as a careless server does.
 */
export async function startJobsServer(limits: { calls: number; windowMs: number }, script: Script) {
  const limit = new SentTimeLimit(limits.calls, limits.windowMs);
  const requests = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
    const k = (requests.get(n) ?? 0) + 1;
    requests.set(n, k);
    const sentAt = Number(req.headers['x-sent-at']);
    if (limit.arrive(Number.isFinite(sentAt) ? sentAt : Date.now()) !== 'ok') {
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
