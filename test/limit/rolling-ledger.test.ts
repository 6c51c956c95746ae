import { describe, expect, it } from 'vitest';
import { RollingLedger } from '../../src/limit/rolling-ledger.js';

/** What the window holds at `now`, by a naive model: every entry added within `span` and not removed. */
function model(entries: { at: number; amount: number; removed: boolean }[], span: number, now: number) {
  return entries.filter((e) => !e.removed && e.at + span > now).reduce((s, e) => s + e.amount, 0);
}

describe('RollingLedger ring', () => {
  it('keeps times and amounts through growing and shrinking while the ring has wrapped', () => {
    const span = 100;
    const limit = 10_000;
    const ledger = new RollingLedger([limit], [span]);
    const entries: { at: number; amount: number; removed: boolean; handle: number }[] = [];
    let now = 0;
    const add = (amount: number) => {
      expect(ledger.blocked([amount], now)).toBeUndefined();
      entries.push({ at: now, amount, removed: false, handle: ledger.add([amount], now) });
    };
    // Fill part of the smallest ring, let it expire, so the next entries wrap around its end.
    for (let i = 0; i < 12; i++) add(1);
    now = span + 1;
    for (let i = 0; i < 300; i++) {
      add((i % 7) + 1); // grows 16 → 32 → … → 512, with the oldest entry mid-ring
      if (i % 3 === 0) now += 1;
      if (i % 50 === 0) {
        const victim = entries[entries.length - 10]!;
        ledger.remove(victim.handle, [victim.amount], now);
        victim.removed = true;
      }
    }
    for (const probe of [now, now + 40, now + 80, now + 99]) {
      const used = model(entries, span, probe);
      // Exactly the room left fits; one unit more does not.
      expect(ledger.blocked([limit - used], probe)).toBeUndefined();
      expect(ledger.blocked([limit - used + 1], probe)).toBeDefined();
    }
    now += 99;
    // Most entries have left: the ring shrinks as more are added, and still counts right.
    for (let i = 0; i < 40; i++) {
      now += 3;
      add(2);
      const used = model(entries, span, now);
      expect(ledger.blocked([limit - used + 1], now)).toBeDefined();
      expect(ledger.blocked([limit - used], now)).toBeUndefined();
    }
    expect(ledger.size).toBe(entries.filter((e) => !e.removed && e.at + span > now).length);
  });

  it('counts right across many grow and shrink cycles, wherever the oldest entry sits in the ring', () => {
    const span = 10;
    const limit = 1e9;
    const ledger = new RollingLedger([limit, limit], [span, span * 2]);
    const entries: { at: number; amounts: number[] }[] = [];
    let now = 0;
    let checks = 0;
    for (let cycle = 0; cycle < 60; cycle++) {
      const burst = 5 + ((cycle * 37) % 200); // bursts of different sizes leave the head anywhere
      for (let i = 0; i < burst; i++) {
        // A distinct time each (admissions at one time would share one entry, and the ring not grow).
        const at = now + i / 1_000;
        const amounts = [1 + (i % 3), 2];
        ledger.add(amounts, at);
        entries.push({ at, amounts });
      }
      now += burst / 1_000;
      now += 1 + (cycle % 4) * 4; // some bursts expire others whole, some in part
      for (const d of [0, 1]) {
        const w = d === 0 ? span : span * 2;
        const used = entries.filter((e) => e.at + w > now).reduce((s, e) => s + e.amounts[d]!, 0);
        const over = [0, 0];
        over[d] = limit - used + 1;
        expect(ledger.blocked(over, now)?.dim).toBe(d);
        const fits = [0, 0];
        fits[d] = limit - used;
        expect(ledger.blocked(fits, now)).toBeUndefined();
        checks++;
      }
    }
    expect(checks).toBe(120);
  });
});

describe('RollingLedger admissions at one time', () => {
  it('share one entry: the size counts distinct times, the sums count every admission', () => {
    const ledger = new RollingLedger([10, 100], [1_000, 1_000]);
    const a = ledger.add([1, 10], 0);
    const b = ledger.add([1, 20], 0);
    const c = ledger.add([1, 30], 5);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(ledger.size).toBe(2);
    expect(ledger.used(0, 5)).toBe(3);
    expect(ledger.used(1, 5)).toBe(60);
    // The shared entry leaves the window whole, at 0 + 1,000; the one at 5 stays until 1,005.
    expect(ledger.used(1, 1_000)).toBe(30);
    expect(ledger.size).toBe(1);
  });

  it('gives back one admission of a shared entry and keeps the others', () => {
    const ledger = new RollingLedger([10, 100], [1_000, 1_000]);
    const a = ledger.add([1, 10], 0);
    ledger.add([1, 20], 0);
    ledger.remove(a, [1, 10], 0);
    expect(ledger.used(0, 0)).toBe(1);
    expect(ledger.used(1, 0)).toBe(20);
    expect(ledger.size).toBe(1);
    // Removing the last one empties the entry; a new admission at the same time brings it back.
    ledger.remove(a, [1, 20], 0);
    expect(ledger.size).toBe(0);
    expect(ledger.used(1, 0)).toBe(0);
    ledger.add([2, 5], 0);
    expect(ledger.size).toBe(1);
    expect(ledger.used(0, 0)).toBe(2);
    expect(ledger.used(1, 0)).toBe(5);
  });

  it('adjusts one admission of a shared entry by its own amounts', () => {
    const ledger = new RollingLedger([10, 100], [1_000, 1_000]);
    const a = ledger.add([1, 40], 0);
    ledger.add([1, 40], 0);
    ledger.adjust(a, [1, 40], [undefined, 15], 0); // a used 15 of its 40
    expect(ledger.used(1, 0)).toBe(55);
    expect(ledger.blocked([0, 45], 0)).toBeUndefined();
    expect(ledger.blocked([0, 46], 0)).toEqual({ dim: 1, waitMs: 1_000 });
  });
});

describe('RollingLedger settling an admission that has left every window', () => {
  // The smallest ring holds 16: once the first entry has expired, the 16th after it takes its slot.
  const wrapped = () => {
    const ledger = new RollingLedger([1_000], [100]);
    const old = ledger.add([10], 0);
    for (let k = 0; k < 15; k++) ledger.add([1], 200 + k); // 200 … 214
    ledger.add([1], 290); // in old's slot
    ledger.add([1], 300); // after the one at 200 left: no resize
    return { ledger, old };
  };

  it('leaves the entry that took its place alone on a commit', () => {
    const { ledger, old } = wrapped();
    ledger.adjust(old, [10], [3], 300);
    // At 390 the one at 290 leaves; the one at 300 alone still counts.
    expect(ledger.used(0, 389)).toBe(2);
    expect(ledger.used(0, 390)).toBe(1);
  });

  it('leaves the entry that took its place alone on a cancel', () => {
    const { ledger, old } = wrapped();
    ledger.remove(old, [10], 300);
    expect(ledger.size).toBe(16);
    expect(ledger.used(0, 389)).toBe(2);
    expect(ledger.used(0, 390)).toBe(1);
    expect(ledger.size).toBe(1);
  });
});
