import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/limit/index.js';

const MIN = 60_000;
const limits = { calls: { limit: 3, windowMs: MIN }, tokens: { limit: 1_000, windowMs: MIN } };

describe('MemoryStore (rolling)', () => {
  it('admits up to the limit, then says when the oldest entry leaves the window (+ margin)', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 100 });
    expect(s.tryReserve('a', { calls: 1, tokens: 10 }, 0)).toEqual({ ok: true });
    expect(s.tryReserve('b', { calls: 1, tokens: 10 }, 1_000)).toEqual({ ok: true });
    expect(s.tryReserve('c', { calls: 1, tokens: 10 }, 2_000)).toEqual({ ok: true });
    expect(s.tryReserve('d', { calls: 1, tokens: 10 }, 5_000)).toEqual({
      ok: false,
      retryInMs: MIN + 100 - 5_000,
      dimension: 'calls',
    });
    expect(s.tryReserve('d', { calls: 1, tokens: 10 }, MIN + 99).ok).toBe(false);
    expect(s.tryReserve('d', { calls: 1, tokens: 10 }, MIN + 100)).toEqual({ ok: true });
  });

  it('checks every dimension and reserves all or none', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    expect(s.tryReserve('a', { calls: 1, tokens: 900 }, 0).ok).toBe(true);
    expect(s.tryReserve('b', { calls: 1, tokens: 200 }, 10)).toEqual({
      ok: false,
      retryInMs: MIN - 10,
      dimension: 'tokens',
    });
    // the refused call took no `calls` unit: two more small ones still fit
    expect(s.tryReserve('c', { calls: 1, tokens: 50 }, 20).ok).toBe(true);
    expect(s.tryReserve('d', { calls: 1, tokens: 50 }, 30).ok).toBe(true);
    expect(s.tryReserve('e', { calls: 1 }, 40)).toMatchObject({ ok: false, dimension: 'calls' });
  });

  it('reports the dimension that holds the call longest', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 100 }, 0);
    s.tryReserve('b', { calls: 1, tokens: 800 }, 10_000);
    s.tryReserve('c', { calls: 1, tokens: 0 }, 20_000);
    // calls free at 60 s, but 500 tokens only once b leaves at 70 s
    expect(s.tryReserve('d', { calls: 1, tokens: 500 }, 30_000)).toEqual({
      ok: false,
      retryInMs: 40_000,
      dimension: 'tokens',
    });
  });

  it('settle replaces the estimate: a smaller actual frees capacity at once', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
    expect(s.tryReserve('b', { calls: 1, tokens: 500 }, 1).ok).toBe(false);
    s.settle('a', { tokens: 300 }, 2);
    expect(s.tryReserve('b', { calls: 1, tokens: 500 }, 3).ok).toBe(true);
  });

  it('settle charging more than the limit holds every admission until the window is back under', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 500 }, 0);
    s.tryReserve('b', { calls: 1, tokens: 400 }, 1_000);
    s.settle('a', { tokens: 900 }, 2_000); // 1,300 in window: over
    expect(s.tryReserve('c', { calls: 1, tokens: 0 }, 3_000)).toEqual({
      ok: false,
      retryInMs: MIN - 3_000,
      dimension: 'tokens',
    });
    expect(s.tryReserve('c', { calls: 1, tokens: 0 }, MIN).ok).toBe(true);
  });

  it('a settle after the window passed changes nothing in the window', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 500 }, 0);
    s.tryReserve('b', { calls: 1, tokens: 500 }, MIN - 1);
    s.settle('a', { tokens: 1_000 }, MIN + 1);
    expect(s.tryReserve('c', { calls: 1, tokens: 500 }, MIN + 2).ok).toBe(true);
  });

  it('ignores actual values that are not finite numbers ≥ 0 (the estimate stands)', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
    s.settle('a', { tokens: Number.NaN, calls: -1 }, 1);
    // The estimate of 900 stands: exactly 100 more fit, then nothing until `a` leaves the window.
    expect(s.tryReserve('b', { calls: 1, tokens: 100 }, 2)).toEqual({ ok: true });
    expect(s.tryReserve('c', { tokens: 1 }, 3)).toEqual({
      ok: false,
      retryInMs: MIN - 3,
      dimension: 'tokens',
    });
  });

  it('release gives back everything and removes the entry; unknown and repeated ids are ignored', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    s.tryReserve('a', { calls: 1, tokens: 900 }, 0);
    s.tryReserve('b', { calls: 1, tokens: 50 }, 1);
    expect(s.size).toBe(4);
    s.release('a', 2);
    s.release('a', 2);
    s.release('nope', 2);
    s.settle('nope', { tokens: 1 }, 2);
    expect(s.size).toBe(2);
    expect(s.tryReserve('c', { calls: 2, tokens: 950 }, 3).ok).toBe(true);
  });

  it('is idempotent for an id already held', () => {
    const s = new MemoryStore({ limits, safetyMarginMs: 0 });
    expect(s.tryReserve('a', { calls: 3 }, 0).ok).toBe(true);
    expect(s.tryReserve('a', { calls: 3 }, 1).ok).toBe(true);
    expect(s.pending).toBe(1);
  });

  it('holds nothing once everything is settled and a window (+ margin) has passed', () => {
    const s = new MemoryStore({ limits });
    for (let i = 0; i < 3; i++) s.tryReserve(`r${i}`, { calls: 1, tokens: 100 }, i);
    s.settle('r0', { tokens: 90 }, 10);
    s.release('r1', 10);
    s.settle('r2', {}, 10);
    expect(s.size).toBe(2);
    s.tryReserve('probe', { calls: 0 }, 2 + MIN + 500);
    s.release('probe', 2 + MIN + 500);
    expect(s.size).toBe(0);
  });

  it('pause refuses everything with dimension "pause"; pauses never shorten each other', () => {
    const s = new MemoryStore({ limits });
    s.pause(5_000, 0);
    s.pause(1_000, 100);
    expect(s.tryReserve('a', { calls: 1 }, 2_000)).toEqual({
      ok: false,
      retryInMs: 3_000,
      dimension: 'pause',
    });
    expect(s.tryReserve('a', { calls: 1 }, 5_000).ok).toBe(true);
  });

  it('ignores dimensions it does not limit, and time never runs backwards', () => {
    const s = new MemoryStore({ limits: { calls: { limit: 1, windowMs: 1_000 } }, safetyMarginMs: 0 });
    expect(s.tryReserve('a', { calls: 1, tokens: 1e9 }, 5_000).ok).toBe(true);
    expect(s.tryReserve('b', { calls: 1 }, 0)).toEqual({ ok: false, retryInMs: 1_000, dimension: 'calls' });
  });

  it('keeps different windows per dimension', () => {
    const s = new MemoryStore({
      limits: { calls: { limit: 2, windowMs: 1_000 }, tokens: { limit: 100, windowMs: 10_000 } },
      safetyMarginMs: 0,
    });
    s.tryReserve('a', { calls: 1, tokens: 60 }, 0);
    s.tryReserve('b', { calls: 1, tokens: 30 }, 0);
    expect(s.tryReserve('c', { calls: 1, tokens: 20 }, 1_000)).toEqual({
      ok: false,
      retryInMs: 9_000,
      dimension: 'tokens',
    });
    expect(s.tryReserve('c', { calls: 1, tokens: 10 }, 1_000).ok).toBe(true);
  });

  it('defaults the safety margin to 1 % of the window, at most 500 ms', () => {
    const short = new MemoryStore({ limits: { calls: { limit: 1, windowMs: 10_000 } } });
    short.tryReserve('a', { calls: 1 }, 0);
    expect(short.tryReserve('b', { calls: 1 }, 0)).toMatchObject({ retryInMs: 10_100 });
    const long = new MemoryStore({ limits: { calls: { limit: 1, windowMs: 3_600_000 } } });
    long.tryReserve('a', { calls: 1 }, 0);
    expect(long.tryReserve('b', { calls: 1 }, 0)).toMatchObject({ retryInMs: 3_600_500 });
  });
});

describe('MemoryStore (bucket)', () => {
  const bucket = () =>
    new MemoryStore({
      limits: { calls: { limit: 10, windowMs: 1_000 } },
      algorithm: 'bucket',
      safetyMarginMs: 0,
    });

  it('starts full and refills continuously', () => {
    const s = bucket();
    for (let i = 0; i < 10; i++) expect(s.tryReserve(`a${i}`, { calls: 1 }, 0).ok).toBe(true);
    expect(s.tryReserve('b', { calls: 1 }, 0)).toEqual({ ok: false, retryInMs: 100, dimension: 'calls' });
    expect(s.tryReserve('b', { calls: 1 }, 100).ok).toBe(true);
    expect(s.tryReserve('c', { calls: 3 }, 150)).toMatchObject({ ok: false, retryInMs: 250 });
    // a full refill never goes past capacity
    expect(s.tryReserve('d', { calls: 10 }, 60_000).ok).toBe(true);
    expect(s.tryReserve('e', { calls: 1 }, 60_000).ok).toBe(false);
  });

  it('lets the limit through again right after a full window: 2× the limit within one rolling window', () => {
    const s = bucket();
    let admitted = 0;
    for (let t = 0; t < 1_000; t += 10) while (s.tryReserve(`x${admitted}`, { calls: 1 }, t).ok) admitted++;
    expect(admitted).toBeGreaterThanOrEqual(19);
  });

  it('settles, refunds (capped at capacity) and holds no records once settled', () => {
    const s = bucket();
    s.tryReserve('a', { calls: 10 }, 0);
    s.settle('a', { calls: 4 }, 0);
    expect(s.tryReserve('b', { calls: 6 }, 0).ok).toBe(true);
    s.release('b', 0);
    s.release('b', 0);
    expect(s.tryReserve('c', { calls: 7 }, 0)).toMatchObject({ ok: false });
    expect(s.size).toBe(0);
  });
});

describe('MemoryStore options', () => {
  it.each([
    [{ limits: {} }, 'limits'],
    [{ limits: { tokens: { limit: 0, windowMs: 1 } } }, 'limits.tokens.limit'],
    [{ limits: { tokens: { limit: Number.POSITIVE_INFINITY, windowMs: 1 } } }, 'limits.tokens.limit'],
    [{ limits: { tokens: { limit: 1, windowMs: -1 } } }, 'limits.tokens.windowMs'],
    [{ limits: { tokens: { limit: '5', windowMs: 1 } } }, 'limits.tokens.limit'],
    [{ limits: { pause: { limit: 1, windowMs: 1 } } }, 'limits.pause'],
    [{ limits, algorithm: 'leaky' }, 'algorithm'],
    [{ limits, safetyMarginMs: -1 }, 'safetyMarginMs'],
  ])('rejects %j naming "%s"', (options, path) => {
    expect(() => new MemoryStore(options as never)).toThrow(`steady: ${path}`);
  });
});
