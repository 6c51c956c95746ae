/**
 * The room a MemoryStore keeps free after `observe` (another client's next calls), worked by hand:
 * how many calls one at a time fit beside it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/limit/index.js';

const store = () =>
  new MemoryStore({
    limits: { calls: { limit: 10, windowMs: 1_000 }, tokens: { limit: 100, windowMs: 1_000 } },
    safetyMarginMs: 0,
  });

/** Reserves one call at a time at `now` until one is refused; returns how many fitted. */
function callsThatFit(s: MemoryStore, now: number): number {
  let n = 0;
  while (s.tryReserve(`c${now}-${n}`, { calls: 1 }, now).ok) n++;
  return n;
}

describe('MemoryStore room kept free', () => {
  it('keeps what it is told, at most half the limit', () => {
    const s = store();
    s.observe('calls', 0, 0, 4);
    expect(callsThatFit(s, 0)).toBe(6); // 1 + 4 kept must fit: up to 5 used, then the 6th
    const t = store();
    t.observe('calls', 0, 0, 8); // capped at 5
    expect(callsThatFit(t, 0)).toBe(5);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['negative', -3],
  ])('keeps nothing for a %s reserve or pace', (_, bad) => {
    const s = store();
    s.observe('calls', 0, 0, bad, bad);
    expect(callsThatFit(s, 500)).toBe(10);
  });

  it('keeps nothing of a negative reserve beside a pace, and grows nothing from a negative pace', () => {
    const s = store();
    s.observe('calls', 0, 0, -3, 0.01); // at 500: 0 + 5 kept, not −3 + 5
    expect(callsThatFit(s, 500)).toBe(5);
    const t = store();
    t.observe('calls', 0, 0, 4, -0.01); // at 100: 4 kept, not 4 − 1
    expect(callsThatFit(t, 100)).toBe(6);
  });

  it('keeps it only on its own dimension, and only for calls that charge it', () => {
    const s = store();
    s.observe('calls', 0, 0, 4);
    // tokens keep nothing: exactly the limit fits, one more never does
    expect(s.tryReserve('big', { tokens: 101 }, 0)).toMatchObject({ ok: false, dimension: 'tokens' });
    expect(s.tryReserve('all', { tokens: 100 }, 0)).toEqual({ ok: true });
    const t = store();
    t.observe('tokens', 0, 0, 40, 0.1); // 40 kept, growing 0.1 a ms
    expect(t.tryReserve('a', { tokens: 60 }, 0)).toEqual({ ok: true }); // 60 + 40 kept = 100
    expect(t.tryReserve('b', { tokens: 1 }, 0)).toMatchObject({ ok: false, dimension: 'tokens' });
    // At 100, 50 are kept (60 + 50 > 100), yet a call that charges no tokens is not held back.
    expect(callsThatFit(t, 100)).toBe(10);
  });

  it('grows with the pace from the newest count, also when an older answer arrives later', () => {
    const s = store();
    s.observe('calls', 0, 100, 0, 0.013, 80); // the server counted at 80
    s.observe('calls', 0, 200, 0, 0.013, 50); // an answer counted at 50, arriving late
    // At 300 the room kept has grown from 80: 0.013 × 220 = 2.86; 1 + 2.86 fits up to 6.14 used.
    expect(callsThatFit(s, 300)).toBe(7);
  });
});

describe('MemoryStore.observe charges', () => {
  it('only the dimension the server counted', () => {
    const s = store();
    expect(s.observe('calls', 4, 0)).toBe(4);
    expect(s.tryReserve('t', { tokens: 100 }, 0)).toEqual({ ok: true }); // every token still free
    expect(callsThatFit(s, 0)).toBe(6);
  });

  it('honours asOf on the rolling ledger only (a bucket keeps no admission times)', () => {
    expect(store().observesAsOf).toBe(true);
    const bucket = new MemoryStore({
      limits: { calls: { limit: 10, windowMs: 1_000 } },
      algorithm: 'bucket',
    });
    expect(bucket.observesAsOf).toBe(false);
  });
});
