import { describe, expect, it } from 'vitest';
import { ChargeLog } from '../../src/limit/charge-log.js';

describe('ChargeLog (what observe charged for another client)', () => {
  it('sums one dimension after a time, only while each charge is inside its window', () => {
    const log = new ChargeLog([1_000, 60_000]); // dimension 0: 1 s window, dimension 1: 1 min
    log.push(0, 0, 3);
    log.push(100, 1, 5);
    log.push(200, 0, 2);
    expect(log.after(0, -1, 300)).toBe(5); // 3 + 2
    expect(log.after(0, 0, 300)).toBe(2); // strictly after t = 0
    expect(log.after(1, -1, 300)).toBe(5);
    expect(log.after(0, -1, 999)).toBe(5);
    expect(log.after(0, -1, 1_000)).toBe(2); // the charge at 0 leaves its 1 s window at 1,000
    expect(log.after(1, -1, 1_000)).toBe(5); // still inside its minute
  });

  it('counts only the last window of a long run of charges', () => {
    const log = new ChargeLog([1_000]);
    for (let t = 0; t < 100_000; t += 10) log.push(t, 0, 1);
    // only the last second's hundred charges are left: 99,010 … 99,990
    expect(log.after(0, -1, 99_990)).toBe(100);
  });
});
