import { describe, expect, it } from 'vitest';
import { constant, exponential } from '../../src/index.js';
import { seededRandom } from '../../src/testing.js';

/** A Random that always draws `x`: every jittered delay can then be worked out by hand. */
const always = (x: number) => ({ next: () => x });

/** Walks a backoff's first n steps with the given Random (a seed, or a fixed draw), no sleeping. */
function walk(
  backoff: ReturnType<typeof exponential>,
  n: number,
  seed: number | { next(): number } = 3,
): number[] {
  const random = typeof seed === 'number' ? seededRandom(seed) : seed;
  const out: number[] = [];
  let step = backoff.next(random);
  for (let i = 0; i < n; i++) {
    out.push(step.delayMs);
    step = step.next(random);
  }
  return out;
}

describe('backoff', () => {
  it('without jitter doubles from baseMs and stops at maxMs', () => {
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000, jitter: 'none' }), 6)).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('full jitter is the draw times the nominal step', () => {
    // Nominal 100, 200, 400, 800, 1,000 (capped); a draw of 0.25 gives a quarter of each.
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000 }), 5, always(0.25))).toEqual([
      25, 50, 100, 200, 250,
    ]);
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000 }), 2, always(0))).toEqual([0, 0]);
  });

  it('equal jitter is half the step plus the draw times the other half', () => {
    // 100 → 50 + 0.25 × 50 = 62.5 → 63; 200 → 100 + 25; 400 → 200 + 50; 800 → 400 + 100; 1,000 → 500 + 125.
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000, jitter: 'equal' }), 5, always(0.25))).toEqual([
      63, 125, 250, 500, 625,
    ]);
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000, jitter: 'equal' }), 2, always(0))).toEqual([
      50, 100,
    ]);
  });

  it('decorrelated jitter draws between base and three times the previous delay, capped', () => {
    // previous 100 → [100, 300] → 100 + 0.25 × 200 = 150; previous 150 → [100, 450] → 187.5 → 188;
    // previous 188 → [100, 564 capped to 500] → 100 + 0.25 × 400 = 200; and 200 again from there.
    expect(walk(exponential({ baseMs: 100, maxMs: 500, jitter: 'decorrelated' }), 4, always(0.25))).toEqual([
      150, 188, 200, 200,
    ]);
    // A draw near 1 climbs by threes until the cap holds it: 300, 500 (900 capped), 500.
    expect(
      walk(exponential({ baseMs: 100, maxMs: 500, jitter: 'decorrelated' }), 3, always(0.999_999)),
    ).toEqual([300, 500, 500]);
  });

  it('the factor sets the growth', () => {
    expect(walk(exponential({ baseMs: 10, maxMs: 10_000, factor: 3, jitter: 'none' }), 4)).toEqual([
      10, 30, 90, 270,
    ]);
  });

  it('equal jitter never goes below half the nominal step', () => {
    const delays = walk(exponential({ baseMs: 100, maxMs: 10_000, jitter: 'equal' }), 6);
    [100, 200, 400, 800, 1_600, 3_200].forEach((nominal, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(nominal / 2);
      expect(delays[i]).toBeLessThanOrEqual(nominal);
    });
  });

  it('decorrelated jitter stays within [base, min(max, 3 × previous)]', () => {
    const delays = walk(exponential({ baseMs: 100, maxMs: 2_000, jitter: 'decorrelated' }), 20);
    let previous = 100;
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(Math.min(2_000, previous * 3) + 1);
      previous = d;
    }
  });

  it('is an immutable value: stepping one walk does not change another', () => {
    const b = exponential({ baseMs: 100, jitter: 'none' });
    const random = seededRandom(1);
    const a1 = b.next(random);
    a1.next(random).next(random);
    expect(b.next(random).delayMs).toBe(100);
    expect(a1.delayMs).toBe(100);
    expect(constant(250).next(random).next(random).delayMs).toBe(250);
  });

  it('refuses maxMs below baseMs at construction, naming both; maxMs equal to baseMs is a constant wait', () => {
    expect(() => exponential({ baseMs: 200, maxMs: 199 })).toThrow(
      'steady: exponential.maxMs (199) must be >= exponential.baseMs (200)',
    );
    expect(() => exponential({ jitter: 'ful' as never })).toThrow(/^steady: exponential\.jitter /);
    expect(walk(exponential({ baseMs: 200, maxMs: 200, jitter: 'none' }), 3)).toEqual([200, 200, 200]);
  });

  it('constant refuses a missing, negative or infinite delay, saying what it wants', () => {
    expect(() => constant(undefined as never)).toThrow(
      new TypeError('steady: constant(delayMs) is required: the delay in ms'),
    );
    expect(() => constant(-10)).toThrow(
      new RangeError('steady: constant(delayMs) must be a number >= 0 (finite), got -10'),
    );
    expect(() => constant(Number.POSITIVE_INFINITY)).toThrow(
      'steady: constant(delayMs) must be a number >= 0 (finite), got Infinity',
    );
    expect(constant(0).next(always(0.5)).delayMs).toBe(0);
  });
});
