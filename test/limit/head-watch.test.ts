/**
 * Which dimension a `throttle` report names, worked by hand: the head's blocked time summed per
 * dimension (the longest wins, the first on a tie), and a call that only waited behind others
 * named after the block that held the queue last.
 */
import { describe, expect, it } from 'vitest';
import { HeadWatch } from '../../src/limit/head-watch.js';

const waiter = (blocksBefore = 0) => ({ blocksBefore });

describe('HeadWatch: the head that was blocked', () => {
  it('names the dimension it was blocked on longest, summed over separate spells', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'calls', 0); // calls 0..100
    hw.blocked(h, 'tokens', 100); // tokens 100..400 = 300
    hw.blocked(h, 'calls', 400); // calls 400..500: calls 200 in all
    expect(hw.admitted(h, 500)).toBe('tokens');
    expect(hw.blocks).toBe(3);
  });

  it('the last spell counts up to the admission: 250 on calls beats 200 on tokens', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'tokens', 1_000); // tokens 1000..1200 = 200
    hw.blocked(h, 'calls', 1_200); // calls 1200..1450 = 250
    expect(hw.admitted(h, 1_450)).toBe('calls');
  });

  it('…and 199 on calls loses to 200 on tokens', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'tokens', 1_000);
    hw.blocked(h, 'calls', 1_200);
    expect(hw.admitted(h, 1_399)).toBe('tokens');
  });

  it('a tie goes to the dimension that blocked it first', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'calls', 0);
    hw.blocked(h, 'tokens', 100);
    expect(hw.admitted(h, 200)).toBe('calls');
  });

  it('a 1 ms spell beats a 0 ms one even when the 0 ms one is the latest', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'calls', 0); // calls 0..1 = 1
    hw.blocked(h, 'tokens', 1); // tokens 1..1 = 0
    expect(hw.admitted(h, 1)).toBe('calls');
  });

  it('a new head starts from nothing: the old head’s time is not counted for it', () => {
    const hw = new HeadWatch();
    const a = waiter();
    const b = waiter();
    hw.blocked(a, 'tokens', 0);
    hw.blocked(b, 'calls', 5_000); // a different head: tokens 0..5000 is not b’s
    expect(hw.admitted(b, 5_100)).toBe('calls');
  });

  it('after a head is admitted the next one starts from nothing', () => {
    const hw = new HeadWatch();
    const a = waiter();
    const b = waiter(1);
    hw.blocked(a, 'tokens', 0);
    expect(hw.admitted(a, 5_000)).toBe('tokens');
    hw.blocked(b, 'calls', 6_000);
    expect(hw.admitted(b, 6_100)).toBe('calls');
  });

  it('after the head is forgotten (it left) the same object blocked again starts from nothing', () => {
    const hw = new HeadWatch();
    const a = waiter();
    hw.blocked(a, 'tokens', 0);
    hw.forget(a);
    hw.blocked(a, 'calls', 5_000);
    expect(hw.admitted(a, 5_100)).toBe('calls');
  });

  it('forgetting another object keeps the head’s sums', () => {
    const hw = new HeadWatch();
    const a = waiter();
    hw.blocked(a, 'tokens', 0); // tokens 0..1000
    hw.forget(waiter());
    hw.blocked(a, 'calls', 1_000); // calls 1000..1100
    expect(hw.admitted(a, 1_100)).toBe('tokens');
  });
});

describe('HeadWatch: a call that only waited behind others', () => {
  it('is named after the last block when a block happened after it was enqueued', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'tokens', 0);
    hw.blocked(h, 'calls', 10);
    expect(hw.admitted(waiter(1), 20)).toBe('calls');
  });

  it('is not named (no limit held it) when no block happened after it was enqueued', () => {
    const hw = new HeadWatch();
    hw.blocked(waiter(), 'tokens', 0);
    expect(hw.admitted(waiter(1), 20)).toBeUndefined();
    expect(hw.admitted(waiter(0), 20)).toBe('tokens');
  });

  it('its admission leaves the head’s sums alone', () => {
    const hw = new HeadWatch();
    const h = waiter();
    hw.blocked(h, 'tokens', 0); // tokens 0..300
    expect(hw.admitted(waiter(0), 100)).toBe('tokens');
    hw.blocked(h, 'calls', 300); // calls 300..400
    expect(hw.admitted(h, 400)).toBe('tokens');
  });
});
