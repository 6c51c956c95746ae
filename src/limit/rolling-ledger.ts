import { type Blocked, EPSILON, type Ledger } from './ledger.js';

/** The ring's smallest size; it doubles when full and halves when three quarters are empty. */
const MIN_CAPACITY = 16;

/**
 * A ledger whose spent units come back exactly `spanMs` (window + safety margin) after they were
 * spent: admission time and amount are kept for every admission still in some window, so the sum in
 * any rolling window never exceeds the limit. Entries are in time order; each dimension has its own
 * head (the first entry still in its window), so dimensions may have different windows.
 *
 * Admissions at the same time share one entry (their sums), so a window holds at most one entry per
 * distinct clock reading: with a millisecond clock, a one-minute window is at most 60,000 entries
 * however many calls it admits. An admission's own amounts are therefore its holder's to keep, and
 * `adjust` and `remove` are told them (`from`). Entries live in a ring of numbers (a time, one
 * amount per dimension and a count of admissions each, in typed arrays), not in an object each: an
 * admission allocates nothing, and the garbage collector never walks the window. An entry is named
 * by its sequence number (its handle); once all its admissions are removed it keeps its place with
 * every amount zeroed until it leaves the window.
 */
export class RollingLedger implements Ledger<number> {
  readonly #dims: number;
  /** Capacity of the ring (a power of two), and that minus one. */
  #capacity = MIN_CAPACITY;
  #mask = MIN_CAPACITY - 1;
  #times = new Float64Array(MIN_CAPACITY);
  /** Amounts, `dims` numbers an entry. */
  #amounts: Float64Array;
  /** Admissions an entry holds that were not removed (0: every one was). */
  #counts = new Uint32Array(MIN_CAPACITY);
  /** Sequence number of the oldest entry kept, and of the next one to add. */
  #first = 0;
  #next = 0;
  /** Kept entries with an admission not removed. */
  #live = 0;
  /** Per dimension, the sequence number of the first entry still in its window. */
  readonly #heads: number[];
  readonly #used: number[];
  /** The time of the last `#expire`: at that time again there is nothing more to drop. */
  #expiredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: readonly number[],
    private readonly spansMs: readonly number[],
  ) {
    this.#dims = limits.length;
    this.#amounts = new Float64Array(MIN_CAPACITY * this.#dims);
    this.#heads = limits.map(() => 0);
    this.#used = limits.map(() => 0);
  }

  /** An entry's place against the heads says whether it is still counted; expiring later changes nothing. */
  readonly adjustNeedsNow = false;

  get size(): number {
    return this.#live;
  }

  /** Drops what has left every window; keeps `used` equal to the in-window sums. */
  #expire(now: number): void {
    // What is added is added at `now` (spans are > 0), so it cannot leave a window by `now`.
    if (now === this.#expiredAt) return;
    this.#expiredAt = now;
    const next = this.#next;
    const times = this.#times;
    const amounts = this.#amounts;
    const dims = this.#dims;
    const mask = this.#mask;
    let min = next;
    for (let d = 0; d < dims; d++) {
      let h = this.#heads[d]!;
      const span = this.spansMs[d]!;
      while (h < next && times[h & mask]! + span <= now) this.#used[d]! -= amounts[(h++ & mask) * dims + d]!;
      if (h === next) this.#used[d] = 0; // no drift once the window is empty
      this.#heads[d] = h;
      if (h < min) min = h;
    }
    const counts = this.#counts;
    for (let s = this.#first; s < min; s++) if (counts[s & mask]! > 0) this.#live--;
    this.#first = min;
  }

  blocked(amounts: readonly number[], now: number): Blocked | undefined {
    this.#expire(now);
    let worst: Blocked | undefined;
    for (let d = 0; d < this.#dims; d++) {
      const excess = this.#used[d]! + amounts[d]! - this.limits[d]!;
      if (excess <= EPSILON) continue;
      const waitMs = this.#waitFor(d, excess, now);
      if (!worst || waitMs > worst.waitMs) worst = { dim: d, waitMs };
    }
    return worst;
  }

  /** Time until at least `excess` units of dimension `d` have left its window. */
  #waitFor(d: number, excess: number, now: number): number {
    const mask = this.#mask;
    let freed = 0;
    for (let s = this.#heads[d]!; s < this.#next; s++) {
      freed += this.#amounts[(s & mask) * this.#dims + d]!;
      if (freed >= excess - EPSILON) return this.#times[s & mask]! + this.spansMs[d]! - now;
    }
    return Number.POSITIVE_INFINITY; // more than the limit itself: never fits
  }

  take(check: readonly number[], amounts: readonly number[], now: number): number | undefined {
    if (now !== this.#expiredAt) this.#expire(now);
    const used = this.#used;
    const limits = this.limits;
    for (let d = 0; d < this.#dims; d++) if (used[d]! + check[d]! - limits[d]! > EPSILON) return undefined;
    return this.#append(amounts, now);
  }

  add(amounts: readonly number[], now: number): number {
    this.#expire(now);
    return this.#append(amounts, now);
  }

  #append(amounts: readonly number[], now: number): number {
    const dims = this.#dims;
    const used = this.#used;
    const last = this.#next - 1;
    if (last >= this.#first && this.#times[last & this.#mask] === now) {
      // Same time as the newest entry (in every window, as it was added at `now`): into it.
      const at = last & this.#mask;
      const all = this.#amounts;
      for (let d = 0; d < dims; d++) {
        all[at * dims + d]! += amounts[d]!;
        used[d]! += amounts[d]!;
      }
      if (this.#counts[at]!++ === 0) this.#live++;
      return last;
    }
    const kept = this.#next - this.#first;
    if (kept === this.#capacity) this.#resize(this.#capacity * 2);
    else if (this.#capacity > MIN_CAPACITY && kept < this.#capacity >> 2) this.#resize(this.#capacity >> 1);
    const seq = this.#next++;
    const at = seq & this.#mask;
    this.#times[at] = now;
    this.#counts[at] = 1;
    this.#live++;
    const all = this.#amounts;
    for (let d = 0; d < dims; d++) {
      all[at * dims + d] = amounts[d]!;
      used[d]! += amounts[d]!;
    }
    return seq;
  }

  adjust(held: number, from: readonly number[], next: readonly (number | undefined)[], now: number): void {
    this.#expire(now);
    if (held < this.#first) return; // out of every window already: the server no longer counts it either
    const at = held & this.#mask;
    for (let d = 0; d < this.#dims; d++) {
      const v = next[d];
      if (v === undefined) continue;
      const i = at * this.#dims + d;
      const delta = v - from[d]!;
      // Behind this dimension's head, out of its window already: the server no longer counts it either.
      if (held >= this.#heads[d]!) this.#used[d]! += delta;
      this.#amounts[i]! += delta;
    }
  }

  remove(held: number, from: readonly number[], now: number): void {
    this.#expire(now);
    const at = held & this.#mask;
    if (held < this.#first || this.#counts[at] === 0) return; // already out of every window, or removed
    // The last admission of the entry takes what is left, so sums of fractions leave no residue.
    const last = --this.#counts[at]! === 0;
    if (last) this.#live--;
    for (let d = 0; d < this.#dims; d++) {
      const i = at * this.#dims + d;
      const give = last ? this.#amounts[i]! : Math.min(from[d]!, this.#amounts[i]!);
      if (held >= this.#heads[d]!) this.#used[d]! -= give;
      this.#amounts[i]! -= give;
    }
  }

  used(d: number, now: number): number {
    this.#expire(now);
    return this.#used[d]!;
  }

  usedAfter(d: number, since: number): number {
    const mask = this.#mask;
    const dims = this.#dims;
    let sum = 0;
    for (let s = this.#next - 1; s >= this.#heads[d]! && this.#times[s & mask]! > since; s--)
      sum += this.#amounts[(s & mask) * dims + d]!;
    return sum;
  }

  /** Moves the entries to a ring of `capacity` (a power of two that holds them all), in contiguous runs. */
  #resize(capacity: number): void {
    const mask = capacity - 1;
    const dims = this.#dims;
    const times = new Float64Array(capacity);
    const amounts = new Float64Array(capacity * dims);
    const counts = new Uint32Array(capacity);
    const oldTimes = this.#times;
    const oldAmounts = this.#amounts;
    const oldCounts = this.#counts;
    const oldCapacity = this.#capacity;
    const oldMask = this.#mask;
    for (let s = this.#first; s < this.#next; ) {
      const from = s & oldMask;
      const to = s & mask;
      const run = Math.min(this.#next - s, oldCapacity - from, capacity - to);
      times.set(oldTimes.subarray(from, from + run), to);
      counts.set(oldCounts.subarray(from, from + run), to);
      amounts.set(oldAmounts.subarray(from * dims, (from + run) * dims), to * dims);
      s += run;
    }
    this.#capacity = capacity;
    this.#mask = mask;
    this.#times = times;
    this.#amounts = amounts;
    this.#counts = counts;
  }
}
