import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/limit/index.js';
import { observeCases } from './observe-cases.js';
import { memoryUnderTest, rollingStoreCases } from './store-cases.js';

const MIN = 60_000;
const limits = { calls: { limit: 3, windowMs: MIN }, tokens: { limit: 1_000, windowMs: MIN } };

rollingStoreCases('MemoryStore (rolling)', memoryUnderTest);
observeCases('MemoryStore (rolling)', memoryUnderTest);

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
