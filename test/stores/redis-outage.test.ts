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

  it("'local': redis-server killed mid-run and started again: every call settles, and no window over the limit — going local, while local, nor after the hand-back", async () => {
    const k = key();
    const store = redisStore(redis, { key: k, timeoutMs: 300 });
    const policy = createPolicy({
      limits: { calls: { limit: 10, windowMs: 1_000 } },
      // Redis TIME and the limiter's clock are read a moment apart: room for that
      limiter: { store, safetyMarginMs: 20 },
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
    // this process is the only one (share 1): 10 a second in Redis, locally from what Redis had
    // admitted, and in Redis again from what the outage admitted (handed back on its first batch)
    const all = starts.map((s) => s.at);
    for (const t of all) expect(all.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(10);
    const after = starts.findIndex((s, i) => i > 0 && !s.local && starts[i - 1]!.local);
    expect(after).toBeGreaterThan(0);
    await store.close();
  });

  it("'local' hands back to Redis what it admitted: after the restart, calls wait for the outage's admissions to leave the window", async () => {
    const k = key();
    const WINDOW = 3_000;
    const store = redisStore(redis, { key: k, timeoutMs: 300 });
    const policy = createPolicy({
      limits: { calls: { limit: 10, windowMs: WINDOW } },
      limiter: { store, safetyMarginMs: 20 },
      retry: { maxAttempts: 1 },
    });
    const starts: { at: number; local: boolean }[] = [];
    const call = () =>
      policy.run(async () => {
        starts.push({ at: Date.now(), local: store.fallback });
      });
    await server.kill();
    await until(() => redis.status !== 'ready');
    await Promise.all(Array.from({ length: 10 }, call)); // the whole share, locally
    expect(starts.every((s) => s.local)).toBe(true);
    await server.restart();
    await until(() => redis.status === 'ready');
    const back = Date.now();
    await Promise.all(Array.from({ length: 10 }, call));
    const [first] = starts;
    const again = starts.slice(10);
    expect(again.every((s) => !s.local)).toBe(true);
    // none admitted before the outage's first admission left the window, though Redis came back empty
    expect(back - first!.at).toBeLessThan(WINDOW); // (else this test would prove nothing)
    for (const s of again) expect(s.at - first!.at).toBeGreaterThanOrEqual(WINDOW);
    expect(Number(await redis.hget(`steady:{${k}}:s`, 'q'))).toBe(20);
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
    // a share of 2, and one of them taken already, in Redis, by this process
    expect(await b.tryReserve('2', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await b.tryReserve('3', { calls: 1 }, 0)).toEqual({
      ok: false,
      retryInMs: 60_000,
      dimension: 'calls',
    });
    expect(b.fallback).toBe(true);
    await b.release('2', 1); // a local reservation settles locally
    expect(await b.tryReserve('4', { calls: 1 }, 1)).toEqual({ ok: true });
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
