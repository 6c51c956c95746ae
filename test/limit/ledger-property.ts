import fc from 'fast-check';
import { expect } from 'vitest';
import type { MakeStore } from './store-cases.js';

/**
 * Random sequences of reserve / commit (smaller or larger actual) / refund / cancel / pause at random
 * non-decreasing times, checked against a naive model of what has been admitted.
 *
 * Rolling ledger, what is asserted precisely: whenever the store admits a reservation at time t,
 * for every dimension, (the sum of the current charges of all reservations admitted in
 * (t − windowMs − margin, t]) + the new estimate ≤ limit. A reservation's current charge is its
 * estimate until settled, then the actual (a refund keeps `calls`, zeroes the rest; a cancel zeroes all).
 * A commit that charges more may push a window over its limit (the server counted it); the invariant
 * then says nothing is admitted until the window is back under. When the store refuses, the model
 * agrees that the cost does not fit (or the ledger is paused), and `retryInMs` is exact: at
 * t + retryInMs it fits, an instant earlier it does not. After everything settles and one window
 * passes, the store holds nothing.
 */

export const DIMS = ['calls', 'tokens'] as const;
export type Dim = (typeof DIMS)[number];

type Op =
  | { kind: 'reserve'; dt: number; calls: number; tokens: number }
  | { kind: 'commit'; dt: number; pick: number; factor: number }
  | { kind: 'refund' | 'cancel'; dt: number; pick: number }
  | { kind: 'pause'; dt: number; ms: number };

export const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      dt: fc.integer({ min: 0, max: 400 }),
      calls: fc.integer({ min: 0, max: 2 }),
      tokens: fc.integer({ min: 0, max: 60 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      dt: fc.integer({ min: 0, max: 100 }),
      pick: fc.nat(),
      factor: fc.double({ min: 0, max: 2, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('refund' as const, 'cancel' as const),
      dt: fc.integer({ min: 0, max: 100 }),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pause' as const),
      dt: fc.integer({ min: 0, max: 100 }),
      ms: fc.integer({ min: 1, max: 500 }),
    }),
  },
);

/** `op` with half the steps at the same time as the one before (admissions that share a time). */
export const sameTimeOp: fc.Arbitrary<Op> = fc
  .tuple(op, fc.boolean())
  .map(([o, same]) => (same ? { ...o, dt: 0 } : o));

export const config = fc.record({
  callsLimit: fc.integer({ min: 1, max: 5 }),
  callsWindow: fc.integer({ min: 50, max: 1_000 }),
  tokensLimit: fc.integer({ min: 60, max: 200 }),
  tokensWindow: fc.integer({ min: 50, max: 2_000 }),
  margin: fc.integer({ min: 0, max: 30 }),
});

export interface Rec {
  id: string;
  time: number;
  charge: Record<Dim, number>;
  open: boolean;
}

/**
 * The rolling-ledger property for any store (MemoryStore here; the Redis store in
 * test/stores/redis-ledger.test.ts): `numRuns` random sequences checked against the naive model.
 */
export async function checkRollingLedger(
  make: MakeStore,
  numRuns: number,
  steps: fc.Arbitrary<Op> = op,
): Promise<void> {
  const property = fc.asyncProperty(config, fc.array(steps, { maxLength: 120 }), async (c, ops) => {
    const limit = { calls: c.callsLimit, tokens: c.tokensLimit };
    const span = { calls: c.callsWindow + c.margin, tokens: c.tokensWindow + c.margin };
    const store = await make(
      {
        calls: { limit: c.callsLimit, windowMs: c.callsWindow },
        tokens: { limit: c.tokensLimit, windowMs: c.tokensWindow },
      },
      c.margin,
    );
    const recs: Rec[] = [];
    let now = 0;
    let pausedUntil = Number.NEGATIVE_INFINITY;
    const inWindow = (d: Dim, t: number) =>
      recs.filter((r) => r.time + span[d] > t).reduce((s, r) => s + r.charge[d], 0);
    const fits = (cost: Record<Dim, number>, t: number) =>
      t >= pausedUntil && DIMS.every((d) => inWindow(d, t) + cost[d] <= limit[d]);
    const open = (pick: number) => {
      const list = recs.filter((r) => r.open);
      return list.length ? list[pick % list.length] : undefined;
    };

    for (const o of ops) {
      now += o.dt;
      if (o.kind === 'reserve') {
        const cost = { calls: Math.min(o.calls, limit.calls), tokens: Math.min(o.tokens, limit.tokens) };
        const id = `r${recs.length}`;
        const r = await store.tryReserve(id, cost, now);
        if (r.ok) {
          for (const d of DIMS) expect(inWindow(d, now) + cost[d]).toBeLessThanOrEqual(limit[d]);
          expect(now).toBeGreaterThanOrEqual(pausedUntil);
          recs.push({ id, time: now, charge: { ...cost }, open: true });
        } else {
          expect(fits(cost, now)).toBe(false);
          expect(r.retryInMs).toBeGreaterThan(0);
          expect(fits(cost, now + r.retryInMs)).toBe(true);
          expect(fits(cost, now + r.retryInMs - 1e-6)).toBe(false);
        }
      } else if (o.kind === 'pause') {
        await store.pause(o.ms, now);
        pausedUntil = Math.max(pausedUntil, now + o.ms);
      } else {
        const rec = open(o.pick);
        if (!rec) continue;
        rec.open = false;
        if (o.kind === 'commit') {
          const tokens = Math.round(rec.charge.tokens * o.factor);
          await store.settle(rec.id, { tokens }, now);
          rec.charge.tokens = tokens;
        } else if (o.kind === 'refund') {
          await store.settle(rec.id, { tokens: 0 }, now);
          rec.charge.tokens = 0;
        } else {
          await store.release(rec.id, now);
          rec.charge = { calls: 0, tokens: 0 };
        }
      }
    }
    for (const r of recs) if (r.open) await store.settle(r.id, {}, now);
    expect(await store.pending()).toBe(0);
    const later = Math.max(now + Math.max(span.calls, span.tokens), pausedUntil);
    expect(await store.tryReserve('probe', {}, later)).toEqual({ ok: true });
    await store.release('probe', later);
    expect(await store.size()).toBe(0);
  });
  // A fixed seed (the same cases in every CI run), then a fresh one (printed when it fails).
  await fc.assert(property, { seed: 20261202, numRuns });
  await fc.assert(property, { numRuns: Math.min(500, numRuns) });
}
