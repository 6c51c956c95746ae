import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPolicy, StoreUnavailableError } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

/* What the store does when redis-server dies (SIGKILL) or hangs (SIGSTOP), and after it is back. */
const skip = skipRedis('test/stores/redis-outage.test.ts');
let server: RedisServer;
let redis: Redis;
let n = 0;
const key = () => `outage-${++n}`;
const nobody = { algorithm: undefined, safetyMarginMs: 0, wake: () => {} };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !(await cond()); i++) await pause(10);
  expect(await cond()).toBe(true);
}

describe.skipIf(skip)('redisStore when Redis goes away', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  beforeEach(async () => {
    server.resume();
    await server.restart();
    await until(() => redis.status === 'ready');
  });
  afterAll(() => server?.stop());

  it("'local': redis-server killed mid-run and started again: every call settles, the outage is limited locally, then back to Redis", async () => {
    const k = key();
    const store = redisStore(redis, { key: k, timeoutMs: 300 });
    const policy = createPolicy({
      limits: { calls: { limit: 10, windowMs: 1_000 } },
      limiter: { store, safetyMarginMs: 0 },
      retry: { maxAttempts: 1 },
    });
    // every admission, and whether the local ledger made it (the store falls back within that reserve)
    const starts: { at: number; local: boolean }[] = [];
    const reserve = store.tryReserve.bind(store);
    store.tryReserve = async (...args) => {
      const r = await reserve(...args);
      if (r.ok) starts.push({ at: args[2], local: store.fallback }); // the limiter's clock
      return r;
    };
    const calls = Array.from({ length: 45 }, (_, i) =>
      policy.run(async () => {
        await pause(5);
        return i;
      }),
    );
    await until(() => starts.length >= 10);
    await server.kill();
    await until(() => starts.filter((s) => s.local).length >= 15);
    await server.restart();
    const results = await Promise.all(calls);
    expect(results).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(store.fallback).toBe(false);
    expect(starts.at(-1)!.local).toBe(false);
    // while Redis was away, the local ledger held this process (the only one: share 1) to 10 a second
    const local = starts.filter((s) => s.local).map((s) => s.at);
    for (const t of local)
      expect(local.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(10);
    // and the calls after the restart are in Redis again
    expect(Number(await redis.hget(`steady:{${k}}:s`, 'q'))).toBeGreaterThan(0);
    await store.close();
  });

  it("'local' takes this process's share: the limit ÷ the processes that reserved on the key", async () => {
    const k = key();
    const limits = { calls: { limit: 4, windowMs: 60_000 } };
    const a = redisStore(redis, { key: k });
    const b = redisStore(redis, { key: k });
    a.bind({ limits, ...nobody });
    b.bind({ limits, ...nobody });
    expect(await a.tryReserve('1', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await b.tryReserve('1', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(b.processes).toBe(2);
    await server.kill();
    await until(() => redis.status !== 'ready');
    expect(await b.tryReserve('2', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await b.tryReserve('3', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await b.tryReserve('4', { calls: 1 }, 0)).toEqual({
      ok: false,
      retryInMs: 60_000,
      dimension: 'calls',
    });
    expect(b.fallback).toBe(true);
    await b.release('3', 1); // a local reservation settles locally
    expect(await b.tryReserve('5', { calls: 1 }, 1)).toEqual({ ok: true });
  });

  it("'open' admits every call while Redis is away; 'closed' rejects queued calls with StoreUnavailableError", async () => {
    const one = { calls: { limit: 1, windowMs: 60_000 } };
    const open = redisStore(redis, { key: key(), onError: 'open' });
    open.bind({ limits: one, ...nobody });
    const closed = createPolicy({
      limits: one,
      limiter: { store: redisStore(redis, { key: key(), onError: 'closed' }) },
    });
    await server.kill();
    await until(() => redis.status !== 'ready');
    for (let i = 0; i < 20; i++)
      expect(await open.tryReserve(`r${i}`, { calls: 1 }, 0)).toEqual({ ok: true });
    await open.settle('r0', { calls: 1 }, 0);
    const errs = await Promise.all([1, 2, 3].map(() => closed.run(async () => 'sent').catch((e) => e)));
    for (const e of errs) {
      expect(e).toBeInstanceOf(StoreUnavailableError);
      expect(e.code).toBe('ERR_STORE_UNAVAILABLE');
      expect(e.message).toContain("onError is 'closed'");
    }
  });

  it('a Redis that stops answering (SIGSTOP): the call goes local after timeoutMs; the late reservation is kept once, in Redis', async () => {
    const k = key();
    const store = redisStore(redis, { key: k, timeoutMs: 200 });
    store.bind({ limits: { calls: { limit: 5, windowMs: 60_000 } }, ...nobody });
    expect(await store.tryReserve('warm', { calls: 1 }, 0)).toEqual({ ok: true });
    await store.settle('warm', {}, 0);
    server.freeze();
    expect(await store.tryReserve('late', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(store.fallback).toBe(true);
    server.resume();
    // Redis ran the reserve once it woke: that reservation is the call's now (counted once, not
    // handed back from the local ledger as well)
    await until(async () => (await redis.hlen(`steady:{${k}}:p`)) === 1);
    expect(await redis.hlen(`steady:{${k}}:h`)).toBe(2);
    await store.settle('late', { calls: 1 }, 0);
    expect(await redis.exists(`steady:{${k}}:p`)).toBe(0);
    expect(await redis.hlen(`steady:{${k}}:h`)).toBe(2);
    expect(store.fallback).toBe(false);
  });
});
