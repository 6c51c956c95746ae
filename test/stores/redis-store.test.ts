import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohere, createLimiter, createPolicy, LimitsMismatchError } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { SCRIPTS } from '../../src/stores/redis/lua.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

const skip = skipRedis('test/stores/redis-store.test.ts');
let server: RedisServer;
let redis: Redis;
let n = 0;
const key = () => `store-${++n}`;
const MIN = 60_000;
const one = { calls: { limit: 1, windowMs: MIN } };

/** Resolves with `p`'s value, or 'timeout' after `ms` (a bound, so a broken wake fails the test instead of hanging it). */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), ms)))]).finally(
    () => clearTimeout(t),
  );
}

async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await cond()).toBe(true);
}

describe.skipIf(skip)('redisStore', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  afterAll(() => server?.stop());

  it('takes the limits from the policy: cohere trial, keys under one hash tag, each expiring after the window', async () => {
    const k = key();
    const store = redisStore(redis, { key: k });
    const policy = createPolicy({ ...cohere({ plan: 'trial' }), limiter: { store } });
    const out = await policy.run(
      async () => ({ message: {}, usage: { billed_units: { input_tokens: 7 } } }),
      {
        tokens: 100,
      },
    );
    expect(out.message).toEqual({});
    await until(async () => (await redis.exists(`steady:{${k}}:p`)) === 0); // the commit is a write of its own
    const keys = (await redis.keys('*')).filter((x) => x.includes(`{${k}}`)).sort();
    expect(keys).toEqual([`steady:{${k}}:h`, `steady:{${k}}:s`, `steady:{${k}}:w`]); // p: nothing pending
    expect(await redis.hget(`steady:{${k}}:s`, 'f')).toBe(
      // the trial's per-endpoint limits are in the fingerprint too: a process with other figures is refused
      'calls 40 per 60000 ms + 500 ms, embed:inputs 2000 per 60000 ms + 500 ms, ' +
        'rerank:calls 10 per 60000 ms + 500 ms, tokenize:calls 100 per 60000 ms + 500 ms, ' +
        'tokens 100000 per 60000 ms + 500 ms',
    );
    // one longest window (+ margin, + 1 s) after the newest entry, which the reply lag stamps a few ms
    // after the last write's time (`z` and `t` in :s)
    const [t, z] = await redis.hmget(`steady:{${k}}:s`, 't', 'z');
    const ahead = Math.ceil(Math.max(0, Number(z) - Number(t)));
    expect(ahead).toBeLessThan(1_000);
    for (const x of keys) {
      const ttl = await redis.pttl(x);
      expect(ttl).toBeGreaterThan(60_000);
      expect(ttl).toBeLessThanOrEqual(60_500 + 1_000 + ahead);
    }
    // the commit settled the reservation at the reported usage: 1 call, 7 tokens, nothing of the
    // other endpoints' dimensions (in the fingerprint's order)
    const [entry] = Object.values(await redis.hgetall(`steady:{${k}}:h`));
    expect(entry!.split(' ').slice(2)).toEqual(['1', '0', '0', '0', '7']);
    await store.close();
  });

  it('processes that disagree on the limits of one key get LimitsMismatchError naming both', async () => {
    const k = key();
    const a = createPolicy({
      limits: { calls: { limit: 40, windowMs: MIN } },
      limiter: { store: redisStore(redis, { key: k }) },
    });
    const b = createPolicy({
      limits: { calls: { limit: 50, windowMs: MIN } },
      limiter: { store: redisStore(redis, { key: k }) },
    });
    await a.run(async () => 'ok');
    const err = await b.run(async () => 'ok').catch((e) => e);
    expect(err).toBeInstanceOf(LimitsMismatchError);
    expect(err.code).toBe('ERR_LIMITS_MISMATCH');
    expect(err.message).toContain('calls 40 per 60000 ms + 500 ms');
    expect(err.message).toContain('this process has calls 50 per 60000 ms + 500 ms');
  });

  it("reads time from Redis: a process whose clock is 10 minutes ahead still sees the other's calls", async () => {
    const k = key();
    const a = redisStore(redis, { key: k });
    const b = redisStore(redis, { key: k });
    for (const s of [a, b]) s.bind({ limits: one, algorithm: undefined, safetyMarginMs: 0, wake: () => {} });
    expect(await a.tryReserve('x', { calls: 1 }, Date.now())).toEqual({ ok: true });
    const r = await b.tryReserve('y', { calls: 1 }, Date.now() + 10 * MIN);
    expect(r).toMatchObject({ ok: false, dimension: 'calls' });
    if (r.ok) return;
    expect(r.retryInMs).toBeGreaterThan(MIN - 5_000);
    expect(r.retryInMs).toBeLessThanOrEqual(MIN);
    // and a clock 10 minutes behind does not pull the ledger back either
    const c = await a.tryReserve('z', { calls: 1 }, Date.now() - 10 * MIN);
    expect(c).toMatchObject({ ok: false, dimension: 'calls' });
  });

  it('round trips: 30 calls at once, settled as they finish, take at most 2 scripts a call and nothing else', async () => {
    const store = redisStore(redis, { key: key() });
    const policy = createPolicy({ limits: { calls: { limit: 1_000, windowMs: MIN } }, limiter: { store } });
    await policy.run(async () => 'warm'); // the script loaded (EVALSHA, NOSCRIPT, EVAL) and the client ready
    await redis.config('RESETSTAT');
    const out = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        policy.run(async () => {
          await new Promise((r) => setTimeout(r, i % 3));
          return i;
        }),
      ),
    );
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await until(async () => (await redis.hlen(store.keys[2]!)) === 0); // every settle reached Redis
    const stats = String(await redis.info('commandstats'));
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    const scripts = calls('evalsha') + calls('eval');
    expect(scripts).toBeGreaterThan(0);
    expect(scripts).toBeLessThanOrEqual(2 * 30);
    // the reserves of queued calls go together: far fewer than one a call
    expect(scripts).toBeLessThan(30);
    // TIME is read inside each script run (Redis counts it there), and nothing probes or loads scripts
    expect(calls('time')).toBe(scripts);
    expect(stats).not.toMatch(/cmdstat_script/);
    await store.close();
  });

  it('loads its scripts again after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const store = redisStore(redis, { key: key() });
    store.bind({
      limits: { calls: { limit: 2, windowMs: MIN } },
      algorithm: undefined,
      safetyMarginMs: 0,
      wake: () => {},
    });
    expect(await store.tryReserve('a', { calls: 1 }, 0)).toEqual({ ok: true });
    await redis.script('FLUSH');
    const sha = createHash('sha1').update(SCRIPTS.batch).digest('hex');
    expect(await redis.script('EXISTS', sha)).toEqual([0]);
    expect(await store.tryReserve('b', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(await store.tryReserve('c', { calls: 1 }, 0)).toMatchObject({ ok: false, dimension: 'calls' });
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    expect(store.fallback).toBe(false);
  });

  it('shares the 429 pause with every process on the key', async () => {
    const k = key();
    const a = createLimiter({ limits: one, store: redisStore(redis, { key: k }) });
    const b = redisStore(redis, { key: k });
    b.bind({ limits: one, algorithm: undefined, safetyMarginMs: undefined, wake: () => {} });
    a.pause(5_000);
    await until(async () => (await redis.hget(`steady:{${k}}:s`, 'u')) !== null);
    const r = await b.tryReserve('x', { calls: 1 }, 0);
    expect(r).toMatchObject({ ok: false, dimension: 'pause' });
    if (!r.ok) {
      expect(r.retryInMs).toBeGreaterThan(4_000);
      expect(r.retryInMs).toBeLessThanOrEqual(5_000);
    }
  });

  it('capacity freed in one process wakes a call waiting in another (pub/sub), then drops the subscription', async () => {
    const k = key();
    const sa = redisStore(redis, { key: k });
    const sb = redisStore(redis, { key: k });
    const limits = { calls: { limit: 1, windowMs: MIN }, tokens: { limit: 100, windowMs: MIN } };
    const a = createLimiter({ limits, store: sa });
    const b = createLimiter({ limits, store: sb });
    const ra = await a.acquire({ calls: 1, tokens: 10 });
    const waiting = b.acquire({ calls: 1, tokens: 10 });
    await until(() => sb.listening);
    await until(async () => (await redis.pubsub('NUMSUB', `steady:{${k}}:free`))[1] === 1);
    ra.cancel(); // never reached the server: the call unit comes back, in Redis, for everyone
    const rb = await within(waiting, 5_000);
    expect(rb).not.toBe('timeout');
    // nobody waits any more: no subscription, no connection left behind
    await until(() => !sb.listening);
    await until(async () => (await redis.pubsub('NUMSUB', `steady:{${k}}:free`))[1] === 0);
    expect(sa.listening).toBe(false);
    if (rb !== 'timeout') rb.commit();
  });

  it('a refund wakes a call waiting on tokens; a settle that frees only tokens leaves a calls-waiter asleep', async () => {
    const k = key();
    const limits = { calls: { limit: 2, windowMs: MIN }, tokens: { limit: 100, windowMs: MIN } };
    const sb = redisStore(redis, { key: k });
    const a = createLimiter({ limits, store: redisStore(redis, { key: k }) });
    const b = createLimiter({ limits, store: sb });
    const ra = await a.acquire({ calls: 1, tokens: 60 });
    const waiting = b.acquire({ calls: 1, tokens: 60 });
    await until(() => sb.listening);
    await until(async () => (await redis.pubsub('NUMSUB', `steady:{${k}}:free`))[1] === 1);
    ra.refund();
    const rb = await within(waiting, 5_000);
    expect(rb).not.toBe('timeout');
    if (rb !== 'timeout') rb.commit({ tokens: 10 });
    await until(async () => (await redis.pubsub('NUMSUB', `steady:{${k}}:free`))[1] === 0);

    // both calls units are spent now: a third call waits on calls, and freed tokens do not wake it
    let asked = 0;
    const reserve = sb.tryReserve.bind(sb);
    sb.tryReserve = (...args) => {
      asked++;
      return reserve(...args);
    };
    const stop = new AbortController();
    const third = b.acquire({ calls: 1, tokens: 10 }, { signal: stop.signal });
    await until(async () => (await redis.pubsub('NUMSUB', `steady:{${k}}:free`))[1] === 1);
    await new Promise((r) => setTimeout(r, 50)); // the one retry right after subscribing
    const before = asked;
    expect(before).toBeGreaterThanOrEqual(1);
    const rc = await a.acquire({ calls: 0, tokens: 20 });
    rc.commit({ tokens: 0 }); // frees tokens only
    await new Promise((r) => setTimeout(r, 200));
    expect(asked).toBe(before);
    stop.abort(new Error('gave up'));
    await expect(third).rejects.toThrow('gave up');
    await until(() => !sb.listening); // the queue emptied by an abort: subscription dropped too
  });

  it('rejects bad options at construction, naming them', () => {
    expect(() => redisStore({} as never, { key: 'k' })).toThrow(
      'steady: redisStore(redis).evalsha must be a function (redisStore(redis) must be an ioredis Redis or Cluster client',
    );
    expect(() => redisStore(undefined as never, { key: 'k' })).toThrow(
      'steady: redisStore(redis) is required',
    );
    expect(() => redisStore(redis, undefined as never)).toThrow(
      'steady: redisStore options must be an object',
    );
    expect(() => redisStore(redis, {} as never)).toThrow('steady: key is required');
    expect(() => redisStore(redis, { key: '' })).toThrow(
      "steady: key must be a non-empty string without { or }, got ''",
    );
    expect(() => redisStore(redis, { key: 'a{b}' })).toThrow(
      'steady: key must be a non-empty string without { or }',
    );
    expect(() => redisStore(redis, { key: 'k', onError: 'ope' as never })).toThrow(
      'steady: onError must be one of',
    );
    expect(() => redisStore(redis, { key: 'k', timeoutMs: -1 })).toThrow('steady: timeoutMs must be');
    expect(() => redisStore(redis, { key: 'k', onerror: 'open' } as never)).toThrow(
      'steady: onerror is not an option of redisStore; did you mean onError?',
    );
    expect(() =>
      createPolicy({ limits: one, limiter: { store: redisStore(redis, { key: 'k' }), algorithm: 'bucket' } }),
    ).toThrow('option "limiter.algorithm" must be \'rolling\' with redisStore');
    const store = redisStore(redis, { key: 'k' });
    createLimiter({ limits: one, store });
    expect(() => createLimiter({ limits: one, store })).toThrow('is already used by a limiter');
  });

  it('says how to use it when called without a limiter', async () => {
    const store = redisStore(redis, { key: 'k' });
    await expect(store.tryReserve('a', { calls: 1 }, 0)).rejects.toThrow('takes its limits from the policy');
  });
});
