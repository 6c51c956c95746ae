import { describe, expect, it } from 'vitest';
import type { MakeStore } from './store-cases.js';

const W = 60_000;
const limits = { calls: { limit: 10, windowMs: W } };

/**
 * `LimiterStore.observe` (the server's rate-limit headers) worked by hand, for any store that keeps
 * MemoryStore's semantics: the charge, the room kept free (`reserve`, `reservePerMs`) and `asOf`.
 * Run against MemoryStore (test/limit/memory-store.test.ts) and the Redis store on the caller's
 * clock (test/stores/redis-ledger.test.ts): the same cases, the same values.
 */
export function observeCases(name: string, make: MakeStore): void {
  describe(`${name}: observe`, () => {
    it('charges only what the ledger does not count yet, never more than the limit, never lowers it', async () => {
      const s = await make(limits);
      expect(await s.tryReserve('a', { calls: 1 }, 0)).toEqual({ ok: true });
      expect(await s.observe!('calls', 4, 0)).toBe(3);
      expect(await s.observe!('calls', 2, 0)).toBe(0); // fewer than counted: unchanged
      expect(await s.observe!('calls', 1e9, 0)).toBe(6); // capped at the limit
      expect(await s.observe!('tokens', 5, 0)).toBe(0); // not limited here
      expect(await s.observe!('calls', Number.NaN, 0)).toBe(0);
      expect((await s.tryReserve('b', { calls: 1 }, 0)).ok).toBe(false);
      expect(await s.tryReserve('b', { calls: 1 }, W + 1_000)).toEqual({ ok: true }); // back one window later
    });

    it('keeps a reserve free, growing with the given pace until the next observe', async () => {
      const s = await make(limits);
      await s.observe!('calls', 0, 0, 2, 1 / 1_000);
      for (let i = 0; i < 8; i++) expect((await s.tryReserve(`a${i}`, { calls: 1 }, 0)).ok).toBe(true);
      expect(await s.tryReserve('x', { calls: 1 }, 0)).toEqual({
        ok: false,
        retryInMs: W + 500,
        dimension: 'calls',
      }); // 8 + 2 kept free
      const fresh = await make(limits);
      await fresh.observe!('calls', 0, 0, 0, 1 / 1_000);
      expect((await fresh.tryReserve('y', { calls: 9 }, 0)).ok).toBe(true);
      const later = await make(limits);
      await later.observe!('calls', 0, 0, 0, 1 / 1_000);
      expect((await later.tryReserve('z', { calls: 7 }, 0)).ok).toBe(true);
      expect((await later.tryReserve('w', { calls: 1 }, 3_000)).ok).toBe(false); // 3 s later, 3 kept free
      await later.observe!('calls', 0, 3_000, 0, 0); // freed
      expect((await later.tryReserve('w', { calls: 1 }, 3_000)).ok).toBe(true);
    });

    it('the reserve is at most half the limit, and only as much of it as fits beside the amount', async () => {
      const s = await make(limits);
      await s.observe!('calls', 0, 0, 9);
      expect((await s.tryReserve('a', { calls: 5 }, 0)).ok).toBe(true); // 5 + 5 (half), not 5 + 9
      expect((await s.tryReserve('b', { calls: 1 }, 0)).ok).toBe(false);
      const t = await make(limits);
      await t.observe!('calls', 0, 0, 5);
      expect((await t.tryReserve('c', { calls: 10 }, 0)).ok).toBe(true); // nothing of it fits beside 10: not kept
    });

    it('a reserve or pace that is not a positive number keeps nothing (NaN, ∞, negative)', async () => {
      const s = await make(limits);
      await s.observe!('calls', 0, 0, Number.NaN, Number.POSITIVE_INFINITY);
      for (let i = 0; i < 10; i++) expect((await s.tryReserve(`a${i}`, { calls: 1 }, 1_000)).ok).toBe(true);
      expect((await s.tryReserve('a', { calls: 1 }, 1_000)).ok).toBe(false); // and the limit still holds
      const t = await make(limits);
      await t.observe!('calls', 0, 0, 2, -1);
      await t.observe!('tokens', 0, 0, 1, 1); // not limited here: nothing kept for it
      for (let i = 0; i < 8; i++) expect((await t.tryReserve(`b${i}`, { calls: 1 }, 1_000)).ok).toBe(true);
      expect((await t.tryReserve('c', { calls: 1 }, 1_000)).ok).toBe(false); // 2 kept, not 2 − 1 a ms
    });

    it('with asOf, compares the server count with what the ledger had admitted by then', async () => {
      const seeing = await make(limits);
      await seeing.tryReserve('sent', { calls: 1 }, 1_000); // the call whose answer brings the count
      await seeing.tryReserve('later1', { calls: 1 }, 1_100); // sent after it: not in the server's count
      await seeing.tryReserve('later2', { calls: 1 }, 1_200);
      // The server counted 3 at 1 000: ours and two of another client's.
      expect(await seeing.observe!('calls', 3, 1_500, 0, 0, 1_000)).toBe(2);
      // What it charged is not taken for ours: the same count again charges nothing twice.
      expect(await seeing.observe!('calls', 3, 1_600, 0, 0, 1_000)).toBe(0);
      expect(await seeing.observe!('calls', 4, 1_700, 0, 0, 1_000)).toBe(1);
      expect(await seeing.observe!('calls', 9, 1_700, 0, 0, 1_700)).toBe(3); // as of now: all of ours counted
    });

    it("with asOf, the reserve's growth counts from asOf (the other client's calls since are unseen)", async () => {
      const s = await make(limits);
      await s.observe!('calls', 0, 3_000, 0, 1 / 1_000, 1_000); // counted as of 1 000: 2 kept free at 3 000
      expect((await s.tryReserve('a', { calls: 8 }, 3_000)).ok).toBe(true);
      expect((await s.tryReserve('b', { calls: 1 }, 3_000)).ok).toBe(false);
      await s.observe!('calls', 8, 3_000, 0, 1 / 1_000, 500); // an older count moves nothing back
      expect((await s.tryReserve('b', { calls: 1 }, 3_000)).ok).toBe(false);
      expect((await s.tryReserve('b', { calls: 1 }, W + 4_000)).ok).toBe(true);
    });
  });
}
