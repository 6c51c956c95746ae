import { describe, expect, it } from 'vitest';
import { type LimiterStore, type MaybePromise, MemoryStore } from '../../src/limit/index.js';
import type { Limits } from '../../src/limit/types.js';

/** A store under test, with how many records it holds (ledger entries + unsettled reservations). */
export type StoreUnderTest = LimiterStore & {
  size(): MaybePromise<number>;
  pending(): MaybePromise<number>;
};

export type MakeStore = (limits: Limits, safetyMarginMs?: number) => MaybePromise<StoreUnderTest>;

/** A MemoryStore as a `StoreUnderTest`. */
export const memoryUnderTest: MakeStore = (l, safetyMarginMs) => {
  const s = new MemoryStore({ limits: l, safetyMarginMs });
  return {
    tryReserve: (...a) => s.tryReserve(...a),
    settle: (...a) => s.settle(...a),
    release: (...a) => s.release(...a),
    pause: (...a) => s.pause(...a),
    observe: (...a) => s.observe(...a),
    size: () => s.size,
    pending: () => s.pending,
  };
};

/**
 * A MemoryStore driven through the limiter's fast path (`reserveHeld`, `settleHeld`, `releaseHeld`:
 * no ids in the store, the caller keeps what each reservation holds), with `tryReserve` only to
 * answer a refusal. Each cost is a fresh object, as the policy's are.
 */
export const memoryFastPath: MakeStore = (l, safetyMarginMs) => {
  const s = new MemoryStore({ limits: l, safetyMarginMs });
  const held = new Map<string, { handle: unknown; cost: Record<string, number> }>();
  return {
    tryReserve: (id, cost, now) => {
      const own = { ...cost } as Record<string, number>;
      const handle = s.reserveHeld(own, now, own);
      if (handle === undefined) return s.tryReserve(id, cost, now); // the refusal, with its wait
      held.set(id, { handle, cost: own });
      return { ok: true };
    },
    settle: (id, actual, now) => {
      const r = held.get(id);
      if (!r) return s.settle(id, actual, now);
      held.delete(id);
      s.settleHeld(r.handle, r.cost, r.cost, actual, now);
    },
    release: (id, now) => {
      const r = held.get(id);
      if (!r) return s.release(id, now);
      held.delete(id);
      s.releaseHeld(r.handle, r.cost, r.cost, now);
    },
    pause: (...a) => s.pause(...a),
    size: () => s.size,
    pending: () => s.pending,
  };
};

const MIN = 60_000;
const limits = { calls: { limit: 3, windowMs: MIN }, tokens: { limit: 1_000, windowMs: MIN } };

/**
 * The rolling ledger's rules, worked by hand, for any store that follows them (MemoryStore, and the
 * Redis store run on the caller's clock): the same cases, the same exact values.
 */
export function rollingStoreCases(name: string, make: MakeStore): void {
  describe(name, () => {
    it('admits up to the limit, then says when the oldest entry leaves the window (+ margin)', async () => {
      const s = await make(limits, 100);
      expect(await s.tryReserve('a', { calls: 1, tokens: 10 }, 0)).toEqual({ ok: true });
      expect(await s.tryReserve('b', { calls: 1, tokens: 10 }, 1_000)).toEqual({ ok: true });
      expect(await s.tryReserve('c', { calls: 1, tokens: 10 }, 2_000)).toEqual({ ok: true });
      expect(await s.tryReserve('d', { calls: 1, tokens: 10 }, 5_000)).toEqual({
        ok: false,
        retryInMs: MIN + 100 - 5_000,
        dimension: 'calls',
      });
      expect((await s.tryReserve('d', { calls: 1, tokens: 10 }, MIN + 99)).ok).toBe(false);
      expect(await s.tryReserve('d', { calls: 1, tokens: 10 }, MIN + 100)).toEqual({ ok: true });
    });

    it('checks every dimension and reserves all or none', async () => {
      const s = await make(limits, 0);
      expect((await s.tryReserve('a', { calls: 1, tokens: 900 }, 0)).ok).toBe(true);
      expect(await s.tryReserve('b', { calls: 1, tokens: 200 }, 10)).toEqual({
        ok: false,
        retryInMs: MIN - 10,
        dimension: 'tokens',
      });
      // the refused call took no `calls` unit: two more small ones still fit
      expect((await s.tryReserve('c', { calls: 1, tokens: 50 }, 20)).ok).toBe(true);
      expect((await s.tryReserve('d', { calls: 1, tokens: 50 }, 30)).ok).toBe(true);
      expect(await s.tryReserve('e', { calls: 1 }, 40)).toMatchObject({ ok: false, dimension: 'calls' });
    });

    it('reports the dimension that holds the call longest', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 100 }, 0);
      await s.tryReserve('b', { calls: 1, tokens: 800 }, 10_000);
      await s.tryReserve('c', { calls: 1, tokens: 0 }, 20_000);
      // calls free at 60 s, but 500 tokens only once b leaves at 70 s
      expect(await s.tryReserve('d', { calls: 1, tokens: 500 }, 30_000)).toEqual({
        ok: false,
        retryInMs: 40_000,
        dimension: 'tokens',
      });
    });

    it('settle replaces the estimate: a smaller actual frees capacity at once', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
      expect((await s.tryReserve('b', { calls: 1, tokens: 500 }, 1)).ok).toBe(false);
      await s.settle('a', { tokens: 300 }, 2);
      expect((await s.tryReserve('b', { calls: 1, tokens: 500 }, 3)).ok).toBe(true);
    });

    it('settle charging more than the limit holds every admission until the window is back under', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 500 }, 0);
      await s.tryReserve('b', { calls: 1, tokens: 400 }, 1_000);
      await s.settle('a', { tokens: 900 }, 2_000); // 1,300 in window: over
      expect(await s.tryReserve('c', { calls: 1, tokens: 0 }, 3_000)).toEqual({
        ok: false,
        retryInMs: MIN - 3_000,
        dimension: 'tokens',
      });
      expect((await s.tryReserve('c', { calls: 1, tokens: 0 }, MIN)).ok).toBe(true);
    });

    it('a settle after the window passed changes nothing in the window', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 500 }, 0);
      await s.tryReserve('b', { calls: 1, tokens: 500 }, MIN - 1);
      await s.settle('a', { tokens: 1_000 }, MIN + 1);
      expect((await s.tryReserve('c', { calls: 1, tokens: 500 }, MIN + 2)).ok).toBe(true);
    });

    it('ignores actual values that are not finite numbers ≥ 0 (the estimate stands)', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
      await s.settle('a', { tokens: Number.NaN, calls: -1 }, 1);
      // The estimate of 900 stands: exactly 100 more fit, then nothing until `a` leaves the window.
      expect(await s.tryReserve('b', { calls: 1, tokens: 100 }, 2)).toEqual({ ok: true });
      expect(await s.tryReserve('c', { tokens: 1 }, 3)).toEqual({
        ok: false,
        retryInMs: MIN - 3,
        dimension: 'tokens',
      });
    });

    it('release gives back everything and removes the entry; unknown and repeated ids are ignored', async () => {
      const s = await make(limits, 0);
      await s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
      await s.tryReserve('b', { calls: 1, tokens: 50 }, 1);
      expect(await s.size()).toBe(4);
      await s.release('a', 2);
      await s.release('a', 2);
      await s.release('nope', 2);
      await s.settle('nope', { tokens: 1 }, 2);
      expect(await s.size()).toBe(2);
      expect((await s.tryReserve('c', { calls: 2, tokens: 950 }, 3)).ok).toBe(true);
    });

    it('is idempotent for an id already held', async () => {
      const s = await make(limits, 0);
      expect((await s.tryReserve('a', { calls: 3 }, 0)).ok).toBe(true);
      expect((await s.tryReserve('a', { calls: 3 }, 1)).ok).toBe(true);
      expect(await s.pending()).toBe(1);
    });

    it('holds nothing once everything is settled and a window (+ margin) has passed', async () => {
      const s = await make(limits);
      for (let i = 0; i < 3; i++) await s.tryReserve(`r${i}`, { calls: 1, tokens: 100 }, i);
      await s.settle('r0', { tokens: 90 }, 10);
      await s.release('r1', 10);
      await s.settle('r2', {}, 10);
      expect(await s.size()).toBe(2);
      await s.tryReserve('probe', { calls: 0 }, 2 + MIN + 500);
      await s.release('probe', 2 + MIN + 500);
      expect(await s.size()).toBe(0);
    });

    it('pause refuses everything with dimension "pause"; pauses never shorten each other', async () => {
      const s = await make(limits);
      await s.pause(5_000, 0);
      await s.pause(1_000, 100);
      expect(await s.tryReserve('a', { calls: 1 }, 2_000)).toEqual({
        ok: false,
        retryInMs: 3_000,
        dimension: 'pause',
      });
      expect((await s.tryReserve('a', { calls: 1 }, 5_000)).ok).toBe(true);
    });

    it('ignores dimensions it does not limit, and time never runs backwards', async () => {
      const s = await make({ calls: { limit: 1, windowMs: 1_000 } }, 0);
      expect((await s.tryReserve('a', { calls: 1, tokens: 1e9 }, 5_000)).ok).toBe(true);
      expect(await s.tryReserve('b', { calls: 1 }, 0)).toEqual({
        ok: false,
        retryInMs: 1_000,
        dimension: 'calls',
      });
    });

    it('keeps different windows per dimension', async () => {
      const s = await make(
        { calls: { limit: 2, windowMs: 1_000 }, tokens: { limit: 100, windowMs: 10_000 } },
        0,
      );
      await s.tryReserve('a', { calls: 1, tokens: 60 }, 0);
      await s.tryReserve('b', { calls: 1, tokens: 30 }, 0);
      expect(await s.tryReserve('c', { calls: 1, tokens: 20 }, 1_000)).toEqual({
        ok: false,
        retryInMs: 9_000,
        dimension: 'tokens',
      });
      expect((await s.tryReserve('c', { calls: 1, tokens: 10 }, 1_000)).ok).toBe(true);
    });

    it('defaults the safety margin to 1 % of the window, at most 500 ms', async () => {
      const short = await make({ calls: { limit: 1, windowMs: 10_000 } });
      await short.tryReserve('a', { calls: 1 }, 0);
      expect(await short.tryReserve('b', { calls: 1 }, 0)).toMatchObject({ retryInMs: 10_100 });
      const long = await make({ calls: { limit: 1, windowMs: 3_600_000 } });
      await long.tryReserve('a', { calls: 1 }, 0);
      expect(await long.tryReserve('b', { calls: 1 }, 0)).toMatchObject({ retryInMs: 3_600_500 });
    });
  });
}
