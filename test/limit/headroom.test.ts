import { describe, expect, it } from 'vitest';
import { CallCost } from '../../src/limit/call-cost.js';
import { checkAcquire } from '../../src/limit/check-acquire.js';
import { Headroom } from '../../src/limit/headroom.js';

const limits = { calls: { limit: 10, windowMs: 1 }, tokens: { limit: 1_000, windowMs: 1 } };

describe('Headroom', () => {
  it('holds uncertain dimensions at 1.25 × the estimate before anything is learned; calls never', () => {
    const h = new Headroom(limits);
    expect(h.hold({ calls: 1, tokens: 400 })).toEqual({ calls: 1, tokens: 500 });
  });

  it('never holds more than the limit, ignores unlimited dimensions and returns the same object when nothing changes', () => {
    const h = new Headroom(limits);
    expect(h.hold({ tokens: 900, other: 5 })).toEqual({ tokens: 1_000, other: 5 });
    const cost = { calls: 1, tokens: 0 };
    expect(h.hold(cost)).toBe(cost);
  });

  it('settles to the reported usage, or the estimate where none was reported (never the hold)', () => {
    const h = new Headroom(limits);
    expect(h.settle({ calls: 1, tokens: 400 }, {})).toEqual({ calls: 1, tokens: 400 });
    expect(h.settle({ calls: 1, tokens: 400 }, { tokens: Number.NaN })).toEqual({ calls: 1, tokens: 400 });
    expect(h.settle({ calls: 1, tokens: 400 }, { tokens: 380, extra: 2 })).toEqual({
      calls: 1,
      tokens: 380,
      extra: 2,
    });
  });

  it('raises the factor at once to a higher ratio, caps it at 2, and decays it toward 1', () => {
    const h = new Headroom(limits);
    h.settle({ tokens: 100 }, { tokens: 150 });
    expect(h.hold({ tokens: 100 }).tokens).toBeCloseTo(150);
    h.settle({ tokens: 10 }, { tokens: 500 });
    expect(h.hold({ tokens: 100 }).tokens).toBeCloseTo(200);
    for (let i = 0; i < 300; i++) h.settle({ tokens: 100 }, { tokens: 100 });
    const held = h.hold({ tokens: 100 }).tokens!;
    expect(held).toBeGreaterThanOrEqual(100);
    expect(held).toBeLessThan(101);
  });

  it('learns nothing from a zero estimate', () => {
    const h = new Headroom(limits);
    h.settle({ tokens: 0 }, { tokens: 500 });
    expect(h.hold({ tokens: 100 }).tokens).toBe(125);
  });

  it('reaches a factor of exactly 1 when usage never runs over, then holds a cost as it is', () => {
    const h = new Headroom(limits);
    let reports = 0;
    for (; reports < 2_000; reports++) {
      const cost = { calls: 1, tokens: 400 };
      if (h.hold(cost) === cost) break;
      h.settle(cost, { tokens: 400 });
    }
    expect(reports).toBeGreaterThan(100);
    expect(reports).toBeLessThan(1_000);
    const cost = { calls: 1, tokens: 400 };
    expect(h.hold(cost)).toBe(cost);
    h.settle(cost, { tokens: 440 }); // one report above: held at that ratio again
    expect(h.hold({ calls: 1, tokens: 400 }).tokens).toBeCloseTo(440, 9);
  });

  it("holds the loop's own CallCost like the same plain cost, and checks it like one", () => {
    const h = new Headroom(limits);
    const call = new CallCost(400);
    expect({ ...h.hold(call) }).toEqual(h.hold({ calls: 1, tokens: 400 }));
    expect(h.hold(new CallCost(0))).toEqual({ calls: 1, tokens: 0 });
    expect({ ...call }).toEqual({ calls: 1, tokens: 400 });
    for (const tokens of [Number.NaN, -1, Number.POSITIVE_INFINITY, 1_001]) {
      const plain = checkAcquire(limits, { calls: 1, tokens }, 0, undefined);
      const fast = checkAcquire(limits, new CallCost(tokens), 0, undefined);
      expect(plain).toBeInstanceOf(Error);
      expect(fast?.constructor).toBe(plain?.constructor);
      expect(fast?.message).toBe(plain?.message);
    }
    expect(checkAcquire(limits, new CallCost(1_000), 0, undefined)).toBeUndefined();
    expect(
      checkAcquire({ calls: { limit: 0.5, windowMs: 1 } }, new CallCost(1), 0, undefined),
    ).toBeInstanceOf(Error);
  });
});
