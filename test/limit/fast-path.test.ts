/**
 * The limiter's fast path (a call admitted at once, no promise): the ledger's `take`, the store's
 * kept amounts for a frozen cost, and what one admitted call costs in clock reads.
 */
import { describe, expect, it } from 'vitest';
import { CostExceedsLimitError, createPolicy } from '../../src/index.js';
import { BucketLedger } from '../../src/limit/bucket-ledger.js';
import { CallCost } from '../../src/limit/call-cost.js';
import { createLimiter, MemoryStore } from '../../src/limit/index.js';
import { RollingLedger } from '../../src/limit/rolling-ledger.js';
import type { Limits } from '../../src/limit/types.js';
import { testClock } from '../../src/testing.js';

describe.each([
  ['RollingLedger', () => new RollingLedger([10, 100], [1_000, 1_000])],
  ['BucketLedger', () => new BucketLedger([10, 100], [1_000, 1_000])],
])('%s.take', (_, make) => {
  it('records the amounts when the check fits, exactly up to the limit', () => {
    const ledger = make();
    expect(ledger.take([4, 60], [4, 60], 0)).toBeDefined();
    // 6 calls and 40 tokens are left: exactly that fits.
    expect(ledger.take([6, 40], [6, 40], 0)).toBeDefined();
    expect(ledger.used(0, 0)).toBe(10);
    expect(ledger.used(1, 0)).toBe(100);
  });

  it('refuses one unit over on any dimension and changes nothing', () => {
    const ledger = make();
    ledger.take([9, 50], [9, 50], 0);
    expect(ledger.take([2, 0], [2, 0], 0)).toBeUndefined(); // calls: 11 > 10
    expect(ledger.take([1, 51], [1, 51], 0)).toBeUndefined(); // tokens: 101 > 100
    expect(ledger.used(0, 0)).toBe(9);
    expect(ledger.used(1, 0)).toBe(50);
    expect(ledger.take([1, 50], [1, 50], 0)).toBeDefined();
  });

  it('checks one set of amounts and records another (a reserve kept free, headroom held)', () => {
    const ledger = make();
    // The check asks for 8 calls (1 plus 7 kept free) but only 1 is recorded.
    expect(ledger.take([8, 0], [1, 30], 0)).toBeDefined();
    expect(ledger.used(0, 0)).toBe(1);
    expect(ledger.used(1, 0)).toBe(30);
    expect(ledger.take([10, 0], [1, 0], 0)).toBeUndefined(); // 1 + 10 > 10
  });
});

describe('MemoryStore fast path with frozen costs', () => {
  it('charges each frozen cost its own amounts, not those of the first one seen', () => {
    const store = new MemoryStore({
      limits: { calls: { limit: 100, windowMs: 1_000 }, tokens: { limit: 50, windowMs: 1_000 } },
      safetyMarginMs: 0,
    });
    const oneCall = Object.freeze({ calls: 1 });
    const big = Object.freeze({ calls: 1, tokens: 20 });
    expect(store.reserveHeld(oneCall, 0)).toBeDefined();
    expect(store.reserveHeld(big, 0)).toBeDefined();
    expect(store.reserveHeld(big, 0)).toBeDefined();
    // 40 of 50 tokens spent: a third 20 does not fit, the one-call cost still does.
    expect(store.reserveHeld(big, 0)).toBeUndefined();
    expect(store.reserveHeld(oneCall, 0)).toBeDefined();
    expect(store.tryReserve('t', { tokens: 10 }, 0)).toEqual({ ok: true });
    expect(store.tryReserve('u', { tokens: 1 }, 0)).toMatchObject({ ok: false, dimension: 'tokens' });
  });
});

describe('policy.run admitted at once', () => {
  it('reads the clock once per call, with the server watch on (the attempt starts at admission)', async () => {
    const clock = testClock();
    let reads = 0;
    const counting = {
      ...clock,
      now: () => {
        reads++;
        return clock.now();
      },
    };
    const policy = createPolicy({
      limits: { calls: { limit: 1_000, windowMs: 60_000 } },
      serverLimits: () => undefined,
      clock: counting,
    });
    await policy.run(async () => 1);
    reads = 0;
    for (let i = 0; i < 10; i++) await policy.run(async () => 1);
    expect(reads).toBe(10);
  });
});

describe('limiter.acquire with a cost the caller changes afterwards', () => {
  // One clock time: both admissions share one ledger entry, which only their own amounts can split.
  const calls10 = () =>
    createLimiter({
      limits: { calls: { limit: 10, windowMs: 60_000 } },
      safetyMarginMs: 0,
      clock: testClock(),
    });

  it('gives back what was reserved on cancel, not what the object says now', async () => {
    const limiter = calls10();
    await limiter.acquire({ calls: 2 });
    const cost = { calls: 4 };
    const r = await limiter.acquire(cost);
    cost.calls = 1; // the caller reuses its object for the next call
    r.cancel();
    // All 4 came back: 2 held, 8 fit and 9 do not.
    expect((await limiter.tryAcquire({ calls: 9 })).ok).toBe(false);
    expect((await limiter.tryAcquire({ calls: 8 })).ok).toBe(true);
  });

  it('settles a commit against what was reserved', async () => {
    const limiter = calls10();
    await limiter.acquire({ calls: 2 });
    const cost = { calls: 4 };
    const r = await limiter.acquire(cost);
    cost.calls = 8;
    r.commit({ calls: 1 }); // 1 of the 4 used: 3 held
    expect((await limiter.tryAcquire({ calls: 8 })).ok).toBe(false);
    expect((await limiter.tryAcquire({ calls: 7 })).ok).toBe(true);
  });
});

describe('policy.run with { tokens } on the fast path', () => {
  const limited = (limits: Limits) => createPolicy({ limits, clock: testClock(), retry: { maxAttempts: 1 } });
  const both = { calls: { limit: 10, windowMs: 60_000 }, tokens: { limit: 1_000, windowMs: 60_000 } };

  it.each([
    ['NaN', Number.NaN],
    ['negative', -1],
    ['a string', '12' as unknown as number],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s tokens with an error naming them, and runs nothing', async (_, tokens) => {
    for (const limits of [both, { calls: both.calls }]) {
      let ran = 0;
      await expect(limited(limits).run(async () => ran++, { tokens })).rejects.toThrow(
        'cost "tokens" must be a finite number ≥ 0',
      );
      expect(ran).toBe(0);
    }
  });

  it('admits exactly the token limit at once, and refuses one more as never fitting', async () => {
    const policy = limited(both);
    await expect(policy.run(async () => 'ok', { tokens: 1_000 })).resolves.toBe('ok');
    await expect(policy.run(async () => 'ok', { tokens: 1_001 })).rejects.toBeInstanceOf(
      CostExceedsLimitError,
    );
  });
});

describe('MemoryStore with a cost object the caller reuses', () => {
  it('reads the amounts of a cost that is not frozen afresh on every reservation', () => {
    const store = new MemoryStore({ limits: { tokens: { limit: 100, windowMs: 1_000 } }, safetyMarginMs: 0 });
    const cost = { tokens: 10 };
    expect(store.tryReserve('a', cost, 0)).toEqual({ ok: true });
    cost.tokens = 80;
    expect(store.tryReserve('b', cost, 0)).toEqual({ ok: true });
    // 90 held: 10 more fit, 11 do not.
    expect(store.tryReserve('c', { tokens: 11 }, 0)).toMatchObject({ ok: false, dimension: 'tokens' });
    expect(store.tryReserve('d', { tokens: 10 }, 0)).toEqual({ ok: true });
  });
});

describe('MemoryStore amounts of the loop’s CallCost', () => {
  it('charges its call and its tokens, wherever they sit among the dimensions', () => {
    // tokens first, calls second, and a third dimension a CallCost does not charge
    const store = new MemoryStore({
      limits: {
        tokens: { limit: 1_000, windowMs: 1_000 },
        calls: { limit: 3, windowMs: 1_000 },
        images: { limit: 5, windowMs: 1_000 },
      },
      safetyMarginMs: 0,
    });
    expect(store.reserveHeld({ images: 5 }, 0)).toBeDefined(); // all the images
    expect(store.reserveHeld(new CallCost(600), 0)).toBeDefined(); // no image: fits
    expect(store.tryReserve('t', { tokens: 401 }, 0)).toMatchObject({ ok: false, dimension: 'tokens' });
    expect(store.reserveHeld(new CallCost(400), 0)).toBeDefined();
    // Two calls made (the images one was not a call): one more fits, then none.
    expect(store.tryReserve('c', { calls: 1 }, 0)).toEqual({ ok: true });
    expect(store.tryReserve('d', { calls: 1 }, 0)).toMatchObject({ ok: false, dimension: 'calls' });
  });
});

describe('MemoryStore fast-path settles', () => {
  it('holds nothing pending once a reservation is committed, kept or released', () => {
    const store = new MemoryStore({ limits: { calls: { limit: 10, windowMs: 1_000 } } });
    const one = Object.freeze({ calls: 1 });
    const a = store.reserveHeld(one, 0, one);
    const b = store.reserveHeld(one, 0, one);
    store.reserveHeld(one, 0, one);
    expect(store.pending).toBe(3);
    store.keepHeld();
    store.settleHeld(a, one, one, { calls: 1 }, 0);
    store.releaseHeld(b, one, one, 0);
    expect(store.pending).toBe(0);
  });

  it('settles a bucket at the time of the commit, not of the reservation', async () => {
    // 100 calls refilled over 1 s. 30 taken at 0 (70 left); at 500, 80 reported instead of 30:
    // refilled to 100 first (capped), then 50 more taken → 50 left, so 60 do not fit and 50 do.
    const clock = testClock();
    const limiter = createLimiter({
      limits: { calls: { limit: 100, windowMs: 1_000 } },
      algorithm: 'bucket',
      safetyMarginMs: 0,
      clock,
    });
    const r = await limiter.acquire({ calls: 30 });
    await clock.tickAsync(500);
    r.commit({ calls: 80 });
    expect((await limiter.tryAcquire({ calls: 60 })).ok).toBe(false);
    expect((await limiter.tryAcquire({ calls: 50 })).ok).toBe(true);
  });
});

describe('MemoryStore refusing while paused', () => {
  it('names the pause when it ends exactly when the ledger would have room, the ledger when later', () => {
    const store = new MemoryStore({ limits: { calls: { limit: 1, windowMs: 500 } }, safetyMarginMs: 0 });
    expect(store.tryReserve('a', { calls: 1 }, 0)).toEqual({ ok: true }); // room again at 500
    store.pause(500, 0);
    expect(store.tryReserve('b', { calls: 1 }, 0)).toEqual({ ok: false, retryInMs: 500, dimension: 'pause' });
    expect(store.tryReserve('c', { calls: 1 }, 100)).toEqual({
      ok: false,
      retryInMs: 400,
      dimension: 'pause',
    });
    const other = new MemoryStore({ limits: { calls: { limit: 1, windowMs: 500 } }, safetyMarginMs: 0 });
    other.tryReserve('a', { calls: 1 }, 0);
    other.pause(499, 0);
    expect(other.tryReserve('b', { calls: 1 }, 0)).toEqual({ ok: false, retryInMs: 500, dimension: 'calls' });
  });
});

describe('the fast path over time and at its boundaries', () => {
  it('frees what left the window for the next admission at once', () => {
    const store = new MemoryStore({ limits: { calls: { limit: 2, windowMs: 1_000 } }, safetyMarginMs: 0 });
    const one = Object.freeze({ calls: 1 });
    expect(store.reserveHeld(one, 0, one)).toBeDefined();
    expect(store.reserveHeld(one, 0, one)).toBeDefined();
    expect(store.reserveHeld(one, 999, one)).toBeUndefined();
    expect(store.reserveHeld(one, 1_000, one)).toBeDefined(); // both left at 1,000
    expect(store.reserveHeld(one, 1_000, one)).toBeDefined();
  });

  it('names the first dimension when two wait exactly as long', () => {
    const store = new MemoryStore({
      limits: { calls: { limit: 1, windowMs: 1_000 }, tokens: { limit: 10, windowMs: 1_000 } },
      safetyMarginMs: 0,
    });
    store.tryReserve('a', { calls: 1, tokens: 10 }, 0);
    expect(store.tryReserve('b', { calls: 1, tokens: 1 }, 0)).toEqual({
      ok: false,
      retryInMs: 1_000,
      dimension: 'calls',
    });
  });

  it('refuses a bad priority on a call the limiter would admit at once', async () => {
    const policy = createPolicy({ limits: { calls: { limit: 10, windowMs: 60_000 } }, clock: testClock() });
    let ran = 0;
    await policy.run(async () => ran++); // the one-call cost is checked and known from here on
    for (const priority of [Number.NaN, Number.POSITIVE_INFINITY])
      await expect(policy.run(async () => ran++, { priority })).rejects.toThrow(
        'priority must be a finite number',
      );
    expect(ran).toBe(1);
  });
});
