import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * One scripted reply: a status with JSON body and headers, `'reset'` to destroy the socket, `'hang'`
 * to answer nothing, or a {@link PartialReply} (a head, then part of the body, then maybe a drop).
 */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | PartialReply
  | 'reset'
  | 'hang';

/**
 * A head, then `chunks` written one by one (each flushed before the next), then the socket is
 * destroyed (`drop: true`) or the body ended. With `length`, the head announces that many bytes
 * (`content-length`), else the body is chunked; `drop` with a `length` above what was sent is a
 * body cut short.
 */
export interface PartialReply {
  status: number;
  headers?: Record<string, string>;
  chunks: string[];
  length?: number;
  drop: boolean;
}

/** A reply made from the request it answers (to echo its headers back, say). */
export type ReplyFn = (request: ScriptedServer['requests'][number]) => Reply;

export interface ScriptedServer {
  url: string;
  /** Requests received so far, with their bodies. */
  requests: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[];
  /** Queues replies for the next requests; when the queue is empty the server answers 200 `{ ok: true }`. */
  reply(...replies: (Reply | ReplyFn)[]): void;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 that answers from a script, for adapter tests. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: (Reply | ReplyFn)[] = [];
  const requests: ScriptedServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', body, headers: req.headers };
      requests.push(request);
      const next = queue.shift() ?? { status: 200, body: { ok: true, n: requests.length } };
      const r = typeof next === 'function' ? next(request) : next;
      if (r === 'reset') return req.socket.destroy();
      if (r === 'hang') return;
      if ('chunks' in r) return writePartial(res, r);
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
      res.writeHead(r.status, {
        'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json',
        ...r.headers,
      });
      res.end(text);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...r) => queue.push(...r),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function writePartial(res: ServerResponse, r: PartialReply): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...r.headers };
  if (r.length !== undefined) headers['content-length'] = String(r.length);
  res.writeHead(r.status, headers);
  res.flushHeaders();
  const write = (i: number): void => {
    if (i < r.chunks.length) {
      res.write(r.chunks[i], () => setTimeout(() => write(i + 1), 5));
      return;
    }
    if (r.drop) res.socket?.destroy();
    else res.end();
  };
  write(0);
}
