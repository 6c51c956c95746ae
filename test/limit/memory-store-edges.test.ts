/**
 * MemoryStore against usage it must not believe, and a release that straddles windows: hand-worked
 * cases whose exact answers a corrupted ledger would get wrong.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/limit/index.js';

const tokens100 = () =>
  new MemoryStore({ limits: { tokens: { limit: 100, windowMs: 1_000 } }, safetyMarginMs: 0 });

describe('MemoryStore.settle with usage that is not a count', () => {
  it.each([
    ['negative', -50],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '30' as unknown as number],
  ])('ignores %s usage and keeps the estimate', (_, bad) => {
    const store = tokens100();
    expect(store.tryReserve('a', { tokens: 60 }, 0)).toEqual({ ok: true });
    store.settle('a', { tokens: bad }, 0);
    // The estimate (60) still counts: 40 more fit, then nothing until `a` leaves the window at 1,000.
    expect(store.tryReserve('b', { tokens: 40 }, 10)).toEqual({ ok: true });
    expect(store.tryReserve('c', { tokens: 1 }, 20)).toEqual({
      ok: false,
      retryInMs: 980,
      dimension: 'tokens',
    });
    expect(store.tryReserve('c', { tokens: 1 }, 999)).toEqual({
      ok: false,
      retryInMs: 1,
      dimension: 'tokens',
    });
    expect(store.tryReserve('c', { tokens: 1 }, 1_000)).toEqual({ ok: true });
    store.settle('b', {}, 1_000);
    store.settle('c', {}, 1_000);
  });

  it('believes a real count: 30 actual frees 30 of a 60 estimate at once', () => {
    const store = tokens100();
    store.tryReserve('a', { tokens: 60 }, 0);
    store.settle('a', { tokens: 30 }, 0);
    expect(store.tryReserve('b', { tokens: 70 }, 0)).toEqual({ ok: true });
    expect(store.tryReserve('c', { tokens: 1 }, 0)).toEqual({
      ok: false,
      retryInMs: 1_000,
      dimension: 'tokens',
    });
  });
});

describe('MemoryStore.release of an entry out of one window but not the other', () => {
  it('gives back only what the entry still holds in a window', () => {
    // calls: 1 per 100 ms; tokens: 100 per 1,000 ms.
    const store = new MemoryStore({
      limits: { calls: { limit: 1, windowMs: 100 }, tokens: { limit: 100, windowMs: 1_000 } },
      safetyMarginMs: 0,
    });
    expect(store.tryReserve('a', { calls: 1, tokens: 10 }, 0)).toEqual({ ok: true });
    // At 150, `a` has left the calls window (not the tokens one): `b` takes the one call.
    expect(store.tryReserve('b', { calls: 1, tokens: 10 }, 150)).toEqual({ ok: true });
    // `a` never reached the server: its tokens come back; its call was out of the window already.
    store.release('a', 160);
    // `b` still holds the only call until 250.
    expect(store.tryReserve('c', { calls: 1, tokens: 10 }, 170)).toEqual({
      ok: false,
      retryInMs: 80,
      dimension: 'calls',
    });
    // The tokens of `a` did come back: 90 fit beside `b`'s 10.
    expect(store.tryReserve('d', { calls: 0, tokens: 90 }, 170)).toEqual({ ok: true });
  });
});
