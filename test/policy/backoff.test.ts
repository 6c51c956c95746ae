import { describe, expect, it } from 'vitest';
import { constant, exponential } from '../../src/index.js';
import { seededRandom } from '../../src/testing.js';

/** Walks a backoff's first n steps with the given Random, no sleeping. */
function walk(backoff: ReturnType<typeof exponential>, n: number, seed = 3): number[] {
  const random = seededRandom(seed);
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

  it('full jitter draws uniformly in [0, nominal]', () => {
    const r = seededRandom(3);
    const expected = [100, 200, 400, 800].map((n) => Math.round(r.next() * n));
    expect(walk(exponential({ baseMs: 100, maxMs: 1_000 }), 4)).toEqual(expected);
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
});
