import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../src/budget/budget.js';
import { Emitter } from '../../src/hooks/emitter.js';

/** A budget and the `budget` events it emits, as `state:tokens`. */
function budget(options: ConstructorParameters<typeof RetryBudget>[0] = {}) {
  const events: string[] = [];
  const emitter = new Emitter({ budget: (e) => void events.push(`${e.state}:${e.tokens}/${e.maxTokens}`) });
  return { b: new RetryBudget(options, emitter), events };
}

describe('RetryBudget', () => {
  it('starts full at 500 tokens; a retry costs 5, a retry after a timeout 10', () => {
    const { b } = budget();
    expect([b.tokens, b.maxTokens, b.retryCost, b.timeoutCost]).toEqual([500, 500, 5, 10]);
    expect(b.costOf('timeout')).toBe(10);
    expect(b.costOf('rate-limited')).toBe(5);
    expect(b.spend('server-error')).toBe(true);
    expect(b.tokens).toBe(495);
    expect(b.spend('timeout')).toBe(true);
    expect(b.tokens).toBe(485);
  });

  it('pays a retry that costs exactly what is left, and refuses one that costs 1 more, spending nothing', () => {
    const { b, events } = budget({ maxTokens: 12, retryCost: 5, timeoutCost: 7 });
    expect(b.spend('network')).toBe(true); // 7 left
    expect(b.spend('timeout')).toBe(true); // 0 left
    expect(b.tokens).toBe(0);
    expect(events).toEqual([]);
    expect(b.spend('network')).toBe(false);
    expect(b.tokens).toBe(0);
    expect(events).toEqual(['exhausted:0/12']);

    const edge = budget({ maxTokens: 9, retryCost: 5 });
    expect(edge.b.spend('network')).toBe(true); // 4 left: one short of 5
    expect(edge.b.spend('network')).toBe(false);
    expect(edge.b.tokens).toBe(4);
    expect(edge.events).toEqual(['exhausted:4/9']);
  });

  it('says exhausted once, and recovered once the tokens are back to half the capacity', () => {
    const { b, events } = budget({ maxTokens: 10, retryCost: 5 });
    b.spend('network');
    b.spend('network');
    expect(b.spend('network')).toBe(false);
    expect(b.spend('network')).toBe(false);
    expect(events).toEqual(['exhausted:0/10']);
    for (let i = 0; i < 4; i++) b.refill();
    expect(b.tokens).toBe(4);
    expect(events).toEqual(['exhausted:0/10']); // 4 < 10 / 2
    b.refill();
    expect(events).toEqual(['exhausted:0/10', 'recovered:5/10']);
    b.refill();
    expect(events).toHaveLength(2);
    // Dry again: a second exhausted.
    b.spend('network'); // 1 left
    expect(b.spend('network')).toBe(false);
    expect(events).toEqual(['exhausted:0/10', 'recovered:5/10', 'exhausted:1/10']);
  });

  it('refills one token a success, never past the capacity', () => {
    const { b, events } = budget({ maxTokens: 7, retryCost: 2 });
    b.refill();
    expect(b.tokens).toBe(7);
    b.spend('network');
    b.refill();
    b.refill();
    expect(b.tokens).toBe(7);
    expect(events).toEqual([]);
  });

  it('refuses a cost above maxTokens at construction, naming the option; a cost equal to it is fine', () => {
    expect(() => budget({ maxTokens: 4, retryCost: 5 })).toThrow(
      new RangeError(
        'steady: budget.retryCost must be at most budget.maxTokens (4), or no retry could ever be paid, got 5',
      ),
    );
    expect(() => budget({ maxTokens: 4, retryCost: 5 })).toThrow(RangeError);
    expect(() => budget({ timeoutCost: 501 })).toThrow(
      /budget\.timeoutCost.*at most budget\.maxTokens \(500\)/,
    );
    const { b } = budget({ maxTokens: 5, retryCost: 5, timeoutCost: 5 });
    expect(b.spend('timeout')).toBe(true);
    expect(b.tokens).toBe(0);
  });
});
