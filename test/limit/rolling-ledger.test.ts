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
        ledger.remove(victim.handle, now);
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
        const amounts = [1 + (i % 3), 2];
        ledger.add(amounts, now);
        entries.push({ at: now, amounts });
      }
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
