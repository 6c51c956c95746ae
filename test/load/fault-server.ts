/**
 * A local HTTP server on 127.0.0.1 for the load and fault suite. Every request draws one fault from
 * a seeded mix; every whole 200 body is JSON `{ id, pad, len }` where `len` is `pad.length`, so a
 * caller can tell a whole body from a cut one. The server also enforces a rolling-window call limit
 * of its own (counted at arrival, a 429 is not counted) and records how often a window went over it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../src/testing.js';

export type Fault =
  | 'ok'
  | '429-hint'
  | '429-bare'
  | '499'
  | '5xx'
  | 'reset'
  | 'slow'
  | 'mid-body'
  | 'mid-body-chunked';

/** Share of requests per fault; the rest answer 200 at once. */
export type FaultMix = Partial<Record<Exclude<Fault, 'ok'>, number>>;

export interface FaultServerOptions {
  mix: FaultMix;
  seed: number;
  /** The server's own limit: at most `calls` arrivals (not counting its 429s) in any `windowMs`. */
  limit: { calls: number; windowMs: number };
  /** How long a `slow` answer takes. */
  slowMs: number;
}

export interface FaultServer {
  url: string;
  /** Requests received, by the fault drawn for them. */
  readonly byFault: Record<string, number>;
  /** 429s the server's own limit gave (not injected): the client overran the window. */
  readonly overLimit: number;
  /** The most arrivals seen in any rolling window. */
  readonly maxInWindow: number;
  readonly requests: number;
  close(): Promise<void>;
}

export async function startFaultServer(o: FaultServerOptions): Promise<FaultServer> {
  const random = seededRandom(o.seed);
  const entries = Object.entries(o.mix) as [Exclude<Fault, 'ok'>, number][];
  const draw = (): Fault => {
    let r = random.next();
    for (const [fault, share] of entries) {
      if (r < share) return fault;
      r -= share;
    }
    return 'ok';
  };
  const byFault: Record<string, number> = {};
  const arrivals: number[] = [];
  let head = 0;
  let overLimit = 0;
  let maxInWindow = 0;
  let requests = 0;
  let id = 0;

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const now = performance.now();
    while (head < arrivals.length && arrivals[head]! <= now - o.limit.windowMs) head++;
    if (arrivals.length - head + 1 > o.limit.calls) {
      overLimit++;
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'rolling window over its limit' }));
      return;
    }
    arrivals.push(now);
    maxInWindow = Math.max(maxInWindow, arrivals.length - head);
    if (head > 10_000) {
      arrivals.splice(0, head);
      head = 0;
    }

    const fault = draw();
    byFault[fault] = (byFault[fault] ?? 0) + 1;
    const pad = 'x'.repeat(64 + Math.floor(random.next() * 4_000));
    const whole = JSON.stringify({ id: ++id, pad, len: pad.length });
    const json = { 'content-type': 'application/json' };
    switch (fault) {
      case '429-hint':
        res.writeHead(429, { ...json, 'retry-after-ms': '20' });
        return res.end(
          JSON.stringify({
            message: 'You are using a Trial key, which is limited to 40 API calls / minute.',
          }),
        );
      case '429-bare':
        res.writeHead(429, json);
        return res.end(JSON.stringify({ message: 'too many requests' }));
      case '499':
        res.writeHead(499, json);
        return res.end(JSON.stringify({ message: 'request cancelled' }));
      case '5xx':
        res.writeHead([500, 502, 503][id % 3]!, json);
        return res.end(JSON.stringify({ message: 'upstream trouble' }));
      case 'reset':
        return req.socket.destroy();
      case 'slow': {
        const timer = setTimeout(() => {
          res.writeHead(200, json);
          res.end(whole);
        }, o.slowMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'mid-body':
        // A head that promises the whole body, half of it, then the connection drops.
        res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(whole)) });
        res.write(whole.slice(0, whole.length >> 1));
        return void setImmediate(() => req.socket.destroy());
      case 'mid-body-chunked':
        // The same without a content-length: only the missing end of the chunked body tells.
        res.writeHead(200, json);
        res.write(whole.slice(0, whole.length >> 1));
        return void setImmediate(() => req.socket.destroy());
      default:
        res.writeHead(200, json);
        return res.end(whole);
    }
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 2_048 }, resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    byFault,
    get overLimit() {
      return overLimit;
    },
    get maxInWindow() {
      return maxInWindow;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
