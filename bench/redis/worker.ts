/**
 * One process of bench/redis.ts: `worker.ts <mode> <redisPort> <url> <calls> <startAtEpochMs> <key>`.
 * `steady` / `bottleneck`: sends `calls` requests at once through the shared limiter (no retries:
 * a 429 is counted), and prints one JSON line: per request the epoch time it was handed to the
 * limiter and sent, and its status; plus the limiter's Redis operations (steady: counted here).
 * `throughput` / `throughput-bottleneck`: acquires and commits (steady) or schedules (Bottleneck) as
 * fast as 64 loops can for 3 s on a huge limit; prints the count.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { createLimiter, createPolicy } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';

const [mode, port, url, count, startAt, key, margin] = process.argv.slice(2);
const N = 40;
const W = 6_000;
const INIT: RequestInit = {
  method: 'POST',
  headers: { authorization: 'Bearer bench-key', 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] }),
};
const redis = new Redis(Number(port), '127.0.0.1', { maxRetriesPerRequest: 1 });
const store = redisStore(redis, { key: key!, onError: 'closed' });
let ops = 0;
for (const op of ['tryReserve', 'settle', 'release', 'pause'] as const) {
  const f = (store[op] as (...a: unknown[]) => unknown).bind(store);
  (store as unknown as Record<string, unknown>)[op] = (...a: unknown[]) => {
    ops++;
    return f(...a);
  };
}
// warm: sockets open, undici loaded, scripts loaded
await fetch(`${url}/health`)
  .then((r) => r.arrayBuffer())
  .catch(() => {});
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));

const log: { queued: number; sent: number; status: number }[] = [];
const send = async (queued: number) => {
  const entry = { queued, sent: Date.now(), status: 0 };
  log.push(entry);
  const res = await fetch(`${url}/v2/chat`, INIT);
  await res.arrayBuffer();
  entry.status = res.status;
  return res;
};

if (mode === 'steady') {
  const policy = createPolicy({
    limits: { calls: { limit: N, windowMs: W } },
    limiter: { store, safetyMarginMs: Number(margin) },
    retry: { maxAttempts: 1 },
  });
  await Promise.allSettled(
    Array.from({ length: Number(count) }, () => {
      const queued = Date.now();
      return policy.run(() => send(queued));
    }),
  );
} else if (mode === 'bottleneck') {
  const b = new Bottleneck({
    id: key,
    datastore: 'ioredis',
    clientOptions: { host: '127.0.0.1', port: Number(port) },
    clearDatastore: false,
    reservoir: N,
    reservoirRefreshAmount: N,
    reservoirRefreshInterval: W,
    maxConcurrent: null,
  });
  await b.ready();
  await Promise.allSettled(
    Array.from({ length: Number(count) }, () => {
      const queued = Date.now();
      return b.schedule(() => send(queued));
    }),
  );
  await b.disconnect();
} else if (mode === 'throughput-bottleneck') {
  const b = new Bottleneck({
    id: key,
    datastore: 'ioredis',
    clientOptions: { host: '127.0.0.1', port: Number(port) },
    clearDatastore: false,
    reservoir: 1e12,
    maxConcurrent: null,
  });
  await b.ready();
  let admitted = 0;
  const until = Date.now() + 3_000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (Date.now() < until) {
        await b.schedule(async () => {});
        admitted++;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ admitted, ops })}\n`);
  await b.disconnect();
} else {
  const limiter = createLimiter({ limits: { calls: { limit: 1e12, windowMs: 60_000 } }, store });
  let admitted = 0;
  const until = Date.now() + 3_000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (Date.now() < until) {
        const r = await limiter.acquire({ calls: 1 });
        r.commit();
        admitted++;
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 100)); // last commits reach Redis
  process.stdout.write(`${JSON.stringify({ admitted, ops })}\n`);
}
if (!mode!.startsWith('throughput')) process.stdout.write(`${JSON.stringify({ log, ops })}\n`);
await store.close();
await redis.quit();
