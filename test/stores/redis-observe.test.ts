import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimiter, createPolicy, openai } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

const skip = skipRedis('test/stores/redis-observe.test.ts');
let server: RedisServer;
let redis: Redis;
let n = 0;
const MIN = 60_000;

describe.skipIf(skip)('redisStore.observe (the servers’ headers)', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  afterAll(() => server?.stop());

  it('charges what the server counts beyond the ledger, never lowers it, caps at the limit', async () => {
    const store = redisStore(redis, { key: `observe-${++n}` });
    createLimiter({
      limits: { calls: { limit: 10, windowMs: MIN }, tokens: { limit: 100, windowMs: MIN } },
      store,
    });
    expect(await store.tryReserve('a', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await store.observe('calls', 4, 0)).toBe(3);
    expect(await store.observe('calls', 2, 0)).toBe(0);
    expect(await store.observe('tokens', 1e9, 0)).toBe(100);
    expect(await store.observe('nope', 5, 0)).toBe(0);
    expect(await store.observe('calls', Number.NaN, 0)).toBe(0);
    for (let i = 0; i < 6; i++) expect((await store.tryReserve(`b${i}`, { calls: 1 }, 0)).ok).toBe(true);
    expect((await store.tryReserve('c', { calls: 1 }, 0)).ok).toBe(false);
  });

  it('a policy on a Redis store is corrected from the headers (another client on the key)', async () => {
    const store = redisStore(redis, { key: `observe-${++n}` });
    const policy = createPolicy({
      ...openai(),
      limits: { calls: { limit: 10, windowMs: MIN } },
      limiter: { store },
    });
    await policy.run(async () => ({
      status: 200,
      headers: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '2' },
    }));
    await new Promise((r) => setTimeout(r, 50)); // the correction is one more script, not awaited by the call
    // 8 counted (ours and 7 charged); the other client's pace is kept free from the next answer on
    // (ServerWatch asks an asynchronous store once per answer): 2 more fit, 3 do not.
    expect((await store.tryReserve('x', { calls: 3 }, Date.now())).ok).toBe(false);
    expect(await store.tryReserve('y', { calls: 2 }, Date.now())).toEqual({ ok: true });
  });
});
