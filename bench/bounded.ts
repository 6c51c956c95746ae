/**
 * Bounded work on hostile outcomes (issue 11, item 4):
 * - `classify` of an error whose `headers` object has HEADER_KEYS (default 10^6) own keys: ms per
 *   call, median of ROUNDS;
 * - memory of one 503 with a BODY_MB (default 200) MB body through `steadyFetch`, against a local
 *   server on 127.0.0.1: rss and heapUsed + arrayBuffers (after gc) before the call and while its
 *   error is still held.
 * Needs --expose-gc (`npm run bench -- bounded` passes it).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { classify, createPolicy } from '../src/index.js';
import { median, table } from './lib.js';

const HEADER_KEYS = Number(process.env.BENCH_HEADER_KEYS ?? 1_000_000);
const BODY_MB = Number(process.env.BENCH_BODY_MB ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench -- bounded)');

const MB = 1024 * 1024;
function memory(): { rss: number; heap: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: (m.heapUsed + m.arrayBuffers) / MB };
}

function classifyHugeHeaders(): number {
  const headers: Record<string, string> = {};
  for (let i = 0; i < HEADER_KEYS; i++) headers[`x-h${i}`] = 'v';
  headers['retry-after'] = '2';
  const err = { status: 503, headers, body: 'busy' };
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    classify(err);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

async function bigBody(): Promise<{
  before: ReturnType<typeof memory>;
  held: ReturnType<typeof memory>;
  kept: number;
}> {
  const chunk = Buffer.alloc(MB, 'x');
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    let sent = 0;
    const write = () => {
      while (sent < BODY_MB) {
        sent++;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
      res.end();
    };
    res.on('error', () => {});
    write();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const f = steadyFetch(createPolicy({ retry: { maxAttempts: 1 }, breaker: false }));
  const before = memory();
  const err = await f(`http://127.0.0.1:${port}/`).then(
    () => undefined,
    (e: unknown) => e,
  );
  const held = memory();
  const body = (err as { cause?: { body?: string } }).cause?.body;
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return { before, held, kept: typeof body === 'string' ? body.length : -1 };
}

const { before, held, kept } = await bigBody(); // first, so the header object does not inflate rss
const ms = classifyHugeHeaders();
console.log(`\n## Bounded work (node ${process.version})\n`);
console.log(
  table(
    ['case', 'figure'],
    [
      [`classify, headers object with ${HEADER_KEYS.toLocaleString('en')} keys`, `${ms.toFixed(2)} ms/call`],
      [
        `steadyFetch 503 with a ${BODY_MB} MB body: rss before → error held`,
        `${before.rss.toFixed(0)} → ${held.rss.toFixed(0)} MB`,
      ],
      [`  heap + arrayBuffers before → error held`, `${before.heap.toFixed(0)} → ${held.heap.toFixed(0)} MB`],
      ['  characters kept in cause.body', kept.toLocaleString('en')],
    ],
  ),
);
