import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/clock.js';
import {
  anthropic,
  createPolicy,
  type LimiterStore,
  type LimitsEvent,
  MemoryStore,
  openai,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

const W = 60_000;
const answer = (headers: Record<string, string>) => async () => ({ status: 200, headers });

describe('limits from the server headers, through a policy', () => {
  it('learns a limit it was not given, reports it once, and enforces it', async () => {
    const clock = testClock(1_000);
    const events: LimitsEvent[] = [];
    const policy = createPolicy({ ...openai(), clock, on: { limits: (e) => events.push(e) } });
    expect(policy.limiter).toBeUndefined();
    const h = { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '2' };
    await policy.run(answer(h));
    await policy.run(answer(h));
    expect(events).toEqual([
      { dimension: 'calls', configured: undefined, reported: 3, windowMs: W, learned: true },
    ]);
    expect(policy.limiter).toBeDefined();
    // Learned after the first answer, the limit holds the next calls: not all three more go now.
    let done = 0;
    const more = Array.from({ length: 3 }, () => policy.run(answer(h)).then(() => done++));
    await clock.tickAsync(1_000);
    expect(done).toBeLessThan(3);
    await clock.tickAsync(W + 1_000);
    await Promise.all(more);
    expect(done).toBe(3);
  });

  it('a configured limit that differs from the reported one stays, and a limits event says so', async () => {
    const clock = testClock();
    const events: LimitsEvent[] = [];
    const policy = createPolicy({
      ...anthropic({ limits: { calls: { limit: 50, windowMs: W } } }),
      clock,
      on: { limits: (e) => events.push(e) },
    });
    const h = { 'anthropic-ratelimit-requests-limit': '40', 'anthropic-ratelimit-requests-remaining': '39' };
    await policy.run(answer(h));
    await policy.run(answer(h));
    expect(events).toEqual([
      { dimension: 'calls', configured: 50, reported: 40, windowMs: W, learned: false },
    ]);
  });

  it('a remaining below what the ledger counts charges the ledger at once (another client on the key)', async () => {
    const clock = testClock();
    const store = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    const policy = createPolicy({
      ...openai(),
      limits: { calls: { limit: 10, windowMs: W } },
      limiter: { store },
      clock,
    });
    await policy.run(answer({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '5' }));
    // 5 counted now (1 ours, 4 the other client's), nothing else spent since the call was sent: 5 more fit.
    for (let i = 0; i < 5; i++)
      expect(store.tryReserve(`a${i}`, { calls: 1 }, clock.now())).toEqual({ ok: true });
    expect(store.tryReserve('b', { calls: 1 }, clock.now()).ok).toBe(false);
  });

  it('the headers of a failed attempt count too (a 429 with remaining 0)', async () => {
    const clock = testClock();
    const policy = createPolicy({ ...openai(), clock, retry: { maxAttempts: 1 }, breaker: false });
    const err = {
      status: 429,
      headers: { 'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': '0' },
    };
    await expect(
      policy.run(() => {
        throw err;
      }),
    ).rejects.toThrow();
    const r = await (policy.limiter as { tryAcquire: (c: object) => Promise<{ ok: boolean }> }).tryAcquire({
      calls: 1,
    });
    expect(r.ok).toBe(false);
  });

  it('fromHeaders: false reads nothing; a garbage or missing header changes nothing', async () => {
    const clock = testClock();
    const off = createPolicy({ ...openai(), limiter: { fromHeaders: false }, clock });
    await off.run(answer({ 'x-ratelimit-limit-requests': '3' }));
    expect(off.limiter).toBeUndefined();
    const on = createPolicy({ ...openai(), clock });
    for (const v of ['-3', 'NaN', '1.5', '', 'x'.repeat(10_000)])
      await on.run(answer({ 'x-ratelimit-limit-requests': v, 'x-ratelimit-remaining-requests': v }));
    await on.run(async () => 'no headers');
    await on.run(async () => null);
    expect(on.limiter).toBeUndefined();
  });

  it('a reader that throws never breaks the call', async () => {
    const policy = createPolicy({
      ...openai(),
      serverLimits: () => {
        throw new Error('boom');
      },
    });
    await expect(policy.run(answer({ 'x-ratelimit-limit-requests': '3' }))).resolves.toMatchObject({
      status: 200,
    });
  });
});

describe('MemoryStore.observe', () => {
  it('charges only what the ledger does not count yet, never more than the limit, never lowers it', () => {
    const store = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    expect(store.tryReserve('a', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(store.observe('calls', 4, 0)).toBe(3);
    expect(store.observe('calls', 2, 0)).toBe(0); // fewer than counted: unchanged
    expect(store.observe('calls', 1e9, 0)).toBe(6); // capped at the limit
    expect(store.observe('tokens', 5, 0)).toBe(0); // not limited here
    expect(store.observe('calls', Number.NaN, 0)).toBe(0);
    expect(store.tryReserve('b', { calls: 1 }, 0).ok).toBe(false);
    expect(store.tryReserve('b', { calls: 1 }, W + 1_000)).toEqual({ ok: true }); // back one window later
  });

  it('keeps a reserve free, growing with the given pace until the next observe', () => {
    const store = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    store.observe('calls', 0, 0, 2, 1 / 1_000);
    for (let i = 0; i < 8; i++) expect(store.tryReserve(`a${i}`, { calls: 1 }, 0).ok).toBe(true);
    expect(store.tryReserve('x', { calls: 1 }, 0).ok).toBe(false); // 8 + 2 kept free
    const fresh = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    fresh.observe('calls', 0, 0, 0, 1 / 1_000);
    expect(fresh.tryReserve('y', { calls: 9 }, 0).ok).toBe(true);
    const later = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    later.observe('calls', 0, 0, 0, 1 / 1_000);
    expect(later.tryReserve('z', { calls: 7 }, 0).ok).toBe(true);
    expect(later.tryReserve('w', { calls: 1 }, 3_000).ok).toBe(false); // 3 s later, 3 kept free
    later.observe('calls', 0, 3_000, 0, 0); // freed
    expect(later.tryReserve('w', { calls: 1 }, 3_000).ok).toBe(true);
  });

  it('with asOf, compares the server count with what the ledger had admitted by then', () => {
    const limits = { calls: { limit: 10, windowMs: W } };
    const blind = new MemoryStore({ limits });
    const seeing = new MemoryStore({ limits });
    for (const store of [blind, seeing]) {
      store.tryReserve('sent', { calls: 1 }, 1_000); // the call whose answer brings the count
      store.tryReserve('later1', { calls: 1 }, 1_100); // sent after it: not in the server's count
      store.tryReserve('later2', { calls: 1 }, 1_200);
    }
    // The server counted 3 at 1 000: ours and two of another client's.
    expect(blind.observe('calls', 3, 1_500)).toBe(0); // our two later calls hide the other's two
    expect(seeing.observe('calls', 3, 1_500, 0, 0, 1_000)).toBe(2);
    // What it charged is not taken for ours: the same count again charges nothing twice.
    expect(seeing.observe('calls', 3, 1_600, 0, 0, 1_000)).toBe(0);
    expect(seeing.observe('calls', 4, 1_700, 0, 0, 1_000)).toBe(1);
  });

  it("with asOf, the reserve's growth counts from asOf (the other client's calls since are unseen)", () => {
    const limits = { calls: { limit: 10, windowMs: W } };
    const store = new MemoryStore({ limits });
    store.observe('calls', 0, 3_000, 0, 1 / 1_000, 1_000); // counted as of 1 000: 2 kept free at 3 000
    expect(store.tryReserve('a', { calls: 8 }, 3_000).ok).toBe(true);
    expect(store.tryReserve('b', { calls: 1 }, 3_000).ok).toBe(false);
    store.observe('calls', 8, 3_000, 0, 1 / 1_000, 500); // an older count moves nothing back
    expect(store.tryReserve('b', { calls: 1 }, 3_000).ok).toBe(false);
    expect(store.tryReserve('b', { calls: 1 }, W + 4_000).ok).toBe(true);
  });
});

describe('ServerWatch, through a policy', () => {
  it("tells the store when the attempt was sent: its own later calls do not hide another client's", async () => {
    const clock = testClock(0);
    const store = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    const seen: (number | undefined)[] = [];
    const observe = store.observe.bind(store);
    store.observe = (d, used, now, reserve, perMs, asOf) => {
      seen.push(asOf);
      return observe(d, used, now, reserve, perMs, asOf);
    };
    const policy = createPolicy({
      ...openai(),
      limits: { calls: { limit: 10, windowMs: W } },
      limiter: { store },
      clock,
    });
    const h = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '5' };
    const slow = policy.run(async () => {
      await sleep(clock, 500);
      return { status: 200, headers: h };
    });
    const fast = async () => ({ status: 200, headers: { 'x-ratelimit-limit-requests': '10' } });
    for (let i = 0; i < 3; i++) {
      await clock.tickAsync(100);
      await policy.run(fast); // sent at 100, 200, 300
    }
    await clock.tickAsync(200);
    await slow;
    expect(seen[0]).toBe(0); // sent at 0, answered at 500
    // Counted 5 as of 0, when the ledger held this call alone: 4 charged despite the 3 sent since,
    // so 8 counted, and a little kept free for the other client's pace since 0: 1 more fits, not 2
    // (compared at 500, 3 of ours would have hidden 3 of the other's).
    expect(store.tryReserve('x', { calls: 1 }, 500).ok).toBe(true);
    expect(store.tryReserve('y', { calls: 1 }, 500).ok).toBe(false);
  });
});

describe('ServerWatch: one observe per answer for an asynchronous store', () => {
  /** A MemoryStore answering at once or through promises, counting its observes. */
  function counted(async: boolean) {
    const mem = new MemoryStore({ limits: { calls: { limit: 10, windowMs: W } } });
    const calls: (number | undefined)[][] = [];
    const wrap = <T>(x: T) => (async ? Promise.resolve(x) : x);
    const store: LimiterStore = {
      tryReserve: (...a) => wrap(mem.tryReserve(...a)),
      settle: (...a) => wrap(mem.settle(...a)),
      release: (...a) => wrap(mem.release(...a)),
      pause: (...a) => wrap(mem.pause(...a)),
      observesAsOf: true,
      observe: (d, used, now, reserve, perMs, asOf) => {
        calls.push([used, reserve, perMs]);
        return wrap(mem.observe(d, used, now, reserve, perMs, asOf));
      },
    };
    return { store, calls };
  }
  const h = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '4' };

  it('a store that answers at once is told the pace with the new charge in it at once (a second observe)', async () => {
    const { store, calls } = counted(false);
    const policy = createPolicy({
      ...openai(),
      limits: { calls: { limit: 10, windowMs: W } },
      limiter: { store },
    });
    await policy.run(answer(h));
    expect(calls).toEqual([
      [6, 0, 0],
      [6, 0, 5 / W], // 5 charged: the other client's pace
    ]);
  });

  it('an asynchronous store (Redis: a round trip each) is not asked again: the next answer carries the pace', async () => {
    const { store, calls } = counted(true);
    const policy = createPolicy({
      ...openai(),
      limits: { calls: { limit: 10, windowMs: W } },
      limiter: { store },
    });
    await policy.run(answer(h));
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[6, 0, 0]]);
    await policy.run(answer(h));
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([
      [6, 0, 0],
      [6, 0, 5 / W],
    ]);
  });
});
