import { type Blocked, EPSILON, type Held, type Ledger } from './ledger.js';

/**
 * A token bucket whose spent units come back exactly `spanMs` (window + safety margin) after they
 * were spent: admission time and amount are kept for every admission still in some window, so the
 * sum in any rolling window never exceeds the limit. Entries are in time order; each dimension has its
 * own head (the first entry still in its window), so dimensions may have different windows.
 */
export class RollingLedger implements Ledger {
  #entries: Held[] = [];
  readonly #heads: number[];
  readonly #used: number[];

  constructor(
    private readonly limits: readonly number[],
    private readonly spansMs: readonly number[],
  ) {
    this.#heads = limits.map(() => 0);
    this.#used = limits.map(() => 0);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Drops what has left every window; keeps `used` equal to the in-window sums. */
  #expire(now: number): void {
    const entries = this.#entries;
    let min = entries.length;
    for (let d = 0; d < this.#heads.length; d++) {
      let h = this.#heads[d]!;
      const span = this.spansMs[d]!;
      while (h < entries.length && entries[h]!.time + span <= now)
        this.#used[d]! -= entries[h++]!.amounts[d]!;
      if (h === entries.length) this.#used[d] = 0; // no drift once the window is empty
      this.#heads[d] = h;
      if (h < min) min = h;
    }
    if (min > 0 && (min === entries.length || (min >= 64 && min * 2 >= entries.length))) {
      this.#entries = min === entries.length ? [] : entries.slice(min);
      for (let d = 0; d < this.#heads.length; d++) this.#heads[d]! -= min;
    }
  }

  blocked(amounts: readonly number[], now: number): Blocked | undefined {
    this.#expire(now);
    let worst: Blocked | undefined;
    for (let d = 0; d < this.limits.length; d++) {
      const excess = this.#used[d]! + amounts[d]! - this.limits[d]!;
      if (excess <= EPSILON) continue;
      const waitMs = this.#waitFor(d, excess, now);
      if (!worst || waitMs > worst.waitMs) worst = { dim: d, waitMs };
    }
    return worst;
  }

  /** Time until at least `excess` units of dimension `d` have left its window. */
  #waitFor(d: number, excess: number, now: number): number {
    const entries = this.#entries;
    let freed = 0;
    for (let i = this.#heads[d]!; i < entries.length; i++) {
      freed += entries[i]!.amounts[d]!;
      if (freed >= excess - EPSILON) return entries[i]!.time + this.spansMs[d]! - now;
    }
    return Number.POSITIVE_INFINITY; // more than the limit itself: never fits
  }

  add(amounts: number[], now: number): Held {
    this.#expire(now);
    const held: Held = { time: now, amounts };
    this.#entries.push(held);
    for (let d = 0; d < amounts.length; d++) this.#used[d]! += amounts[d]!;
    return held;
  }

  adjust(held: Held, next: readonly (number | undefined)[], now: number): void {
    this.#expire(now);
    for (let d = 0; d < next.length; d++) {
      const v = next[d];
      if (v === undefined) continue;
      // Out of this dimension's window already: the server no longer counts it either.
      if (held.time + this.spansMs[d]! > now) this.#used[d]! += v - held.amounts[d]!;
      held.amounts[d] = v;
    }
  }

  remove(held: Held, now: number): void {
    this.#expire(now);
    const i = this.#entries.lastIndexOf(held);
    if (i < 0) return; // already out of every window
    for (let d = 0; d < this.#heads.length; d++) {
      const h = this.#heads[d]!;
      if (i >= h) this.#used[d]! -= held.amounts[d]!;
      else this.#heads[d] = h - 1;
    }
    this.#entries.splice(i, 1);
  }
}
