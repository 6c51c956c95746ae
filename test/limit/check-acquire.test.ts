/** What `acquire` refuses before it queues, each boundary from both sides, with the exact message. */
import { describe, expect, it } from 'vitest';
import { CostExceedsLimitError } from '../../src/errors/index.js';
import { CallCost } from '../../src/limit/call-cost.js';
import { checkAcquire } from '../../src/limit/check-acquire.js';
import type { Cost } from '../../src/limit/types.js';

const limits = { calls: { limit: 10, windowMs: 60_000 }, tokens: { limit: 1_000, windowMs: 60_000 } };
const check = (cost: unknown, priority: unknown = 0, deadline?: unknown) =>
  checkAcquire(limits, cost as Cost, priority as number, deadline as number | undefined);

describe('checkAcquire', () => {
  it('a cost equal to the limit is fine; one unit more can never fit', () => {
    expect(check({ calls: 1, tokens: 1_000 })).toBeUndefined();
    const e = check({ calls: 1, tokens: 1_001 });
    expect(e).toBeInstanceOf(CostExceedsLimitError);
    expect(e?.message).toBe(
      'steady: a call costing 1001 tokens can never fit the limit of 1000 tokens per 60000 ms',
    );
    expect(check({ calls: 11 })?.message).toBe(
      'steady: a call costing 11 calls can never fit the limit of 10 calls per 60000 ms',
    );
  });

  it('0 is a cost; a negative, NaN, infinite or non-number one is a RangeError naming it', () => {
    expect(check({ calls: 0, tokens: 0 })).toBeUndefined();
    for (const [v, shown] of [
      [-1, '-1'],
      [-0.001, '-0.001'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['5', '5'],
      [undefined, 'undefined'],
    ] as const) {
      const e = check({ tokens: v });
      expect(e).toBeInstanceOf(RangeError);
      expect(e?.message).toBe(`steady: cost "tokens" must be a finite number ≥ 0 (got ${shown})`);
    }
  });

  it('a dimension without a limit is not capped', () => {
    expect(check({ images: 1e9 })).toBeUndefined();
    expect(check({ images: -1 })).toBeInstanceOf(RangeError);
  });

  it('an inherited bad name is ignored; an own one is not', () => {
    const inherited = Object.create({ tokens: 5_000 }) as Cost;
    expect(check(inherited)).toBeUndefined();
    const own = Object.assign(Object.create({ tokens: 5 }) as object, { tokens: 5_000 });
    expect(check(own)).toBeInstanceOf(CostExceedsLimitError);
  });

  it('the first bad dimension is the one named', () => {
    expect(check({ calls: 20, tokens: -1 })?.message).toContain('costing 20 calls');
  });

  it('a CallCost is checked on its tokens, at the limit and one over', () => {
    expect(check(new CallCost(1_000))).toBeUndefined();
    expect(check(new CallCost(1_001))?.message).toBe(
      'steady: a call costing 1001 tokens can never fit the limit of 1000 tokens per 60000 ms',
    );
    expect(check(new CallCost(Number.NaN))).toBeInstanceOf(RangeError);
    const oneCall = { calls: { limit: 1, windowMs: 1_000 } };
    expect(checkAcquire(oneCall, new CallCost(5), 0, undefined)).toBeUndefined();
    const noCall = { calls: { limit: 0, windowMs: 1_000 } };
    expect(checkAcquire(noCall, new CallCost(5), 0, undefined)?.message).toBe(
      'steady: a call costing 1 calls can never fit the limit of 0 calls per 1000 ms',
    );
  });

  it('a cost that is not an object is a TypeError', () => {
    for (const c of [null, undefined, 5, 'calls']) {
      const e = check(c);
      expect(e).toBeInstanceOf(TypeError);
      expect(e?.message).toBe('steady: cost must be an object like { calls: 1 }');
    }
  });

  it('priority must be a finite number', () => {
    expect(check({ calls: 1 }, -3)).toBeUndefined();
    for (const p of [Number.NaN, Number.POSITIVE_INFINITY, '1', undefined]) {
      const e = checkAcquire(limits, { calls: 1 }, p as number, undefined);
      expect(e).toBeInstanceOf(TypeError);
      expect(e?.message).toBe('steady: priority must be a finite number');
    }
  });

  it('a CallCost that fits is still refused for a bad priority or deadline', () => {
    expect(checkAcquire(limits, new CallCost(5), Number.NaN, undefined)?.message).toBe(
      'steady: priority must be a finite number',
    );
    expect(checkAcquire(limits, new CallCost(5), 0, Number.NaN)?.message).toBe(
      'steady: deadline must be a clock time in milliseconds',
    );
  });

  it('deadline is optional, any number but NaN (an infinite one never passes)', () => {
    expect(check({ calls: 1 }, 0, undefined)).toBeUndefined();
    expect(check({ calls: 1 }, 0, 0)).toBeUndefined();
    expect(check({ calls: 1 }, 0, Number.POSITIVE_INFINITY)).toBeUndefined();
    for (const d of [Number.NaN, '100', null]) {
      const e = check({ calls: 1 }, 0, d);
      expect(e).toBeInstanceOf(TypeError);
      expect(e?.message).toBe('steady: deadline must be a clock time in milliseconds');
    }
  });
});
