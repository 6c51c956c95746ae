import { type Blocked, EPSILON, type Ledger } from './ledger.js';

/** The ring's smallest size; it doubles when full and halves when three quarters are empty. */
const MIN_CAPACITY = 16;

/**
 * A ledger whose spent units come back exactly `spanMs` (window + safety margin) after they were
 * spent: admission time and amount are kept for every admission still in some window, so the sum in
 * any rolling window never exceeds the limit. Entries are in time order; each dimension has its own
 * head (the first entry still in its window), so dimensions may have different windows.
 *
 * Entries live in a ring of numbers (a time and one amount per dimension each, in typed arrays), not
 * in an object each: an admission allocates nothing, and a window holding a million entries is a
 * few flat arrays the garbage collector never walks. An entry is named by its sequence number (its
 * handle); a removed entry keeps its place with every amount zeroed until it leaves the window.
 */
export class RollingLedger implements Ledger<number> {
  readonly #dims: number;
  /** Capacity of the ring (a power of two), and that minus one. */
  #capacity = MIN_CAPACITY;
  #mask = MIN_CAPACITY - 1;
  #times = new Float64Array(MIN_CAPACITY);
  /** Amounts, `dims` numbers an entry. */
  #amounts: Float64Array;
  /** 1 for an entry given back with `remove`. */
  #removed = new Uint8Array(MIN_CAPACITY);
  /** Sequence number of the oldest entry kept, and of the next one to add. */
  #first = 0;
  #next = 0;
  /** Removed entries still kept. */
  #dead = 0;
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
    return this.#next - this.#first - this.#dead;
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
    if (this.#dead > 0) for (let s = this.#first; s < min; s++) this.#dead -= this.#removed[s & mask]!;
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
    const kept = this.#next - this.#first;
    if (kept === this.#capacity) this.#resize(this.#capacity * 2);
    else if (this.#capacity > MIN_CAPACITY && kept < this.#capacity >> 2) this.#resize(this.#capacity >> 1);
    const seq = this.#next++;
    const at = seq & this.#mask;
    this.#times[at] = now;
    this.#removed[at] = 0;
    const dims = this.#dims;
    for (let d = 0; d < dims; d++) {
      this.#amounts[at * dims + d] = amounts[d]!;
      this.#used[d]! += amounts[d]!;
    }
    return seq;
  }

  adjust(held: number, next: readonly (number | undefined)[], now: number): void {
    this.#expire(now);
    if (held < this.#first) return; // out of every window already: the server no longer counts it either
    const at = held & this.#mask;
    for (let d = 0; d < next.length; d++) {
      const v = next[d];
      if (v === undefined) continue;
      const i = at * this.#dims + d;
      // Behind this dimension's head, out of its window already: the server no longer counts it either.
      if (held >= this.#heads[d]!) this.#used[d]! += v - this.#amounts[i]!;
      this.#amounts[i] = v;
    }
  }

  remove(held: number, now: number): void {
    this.#expire(now);
    const at = held & this.#mask;
    if (held < this.#first || this.#removed[at]) return; // already out of every window, or removed
    for (let d = 0; d < this.#dims; d++) {
      const i = at * this.#dims + d;
      if (held >= this.#heads[d]!) this.#used[d]! -= this.#amounts[i]!;
      this.#amounts[i] = 0;
    }
    this.#removed[at] = 1;
    this.#dead++;
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
    const removed = new Uint8Array(capacity);
    const oldTimes = this.#times;
    const oldAmounts = this.#amounts;
    const oldRemoved = this.#removed;
    const oldCapacity = this.#capacity;
    const oldMask = this.#mask;
    for (let s = this.#first; s < this.#next; ) {
      const from = s & oldMask;
      const to = s & mask;
      const run = Math.min(this.#next - s, oldCapacity - from, capacity - to);
      times.set(oldTimes.subarray(from, from + run), to);
      removed.set(oldRemoved.subarray(from, from + run), to);
      amounts.set(oldAmounts.subarray(from * dims, (from + run) * dims), to * dims);
      s += run;
    }
    this.#capacity = capacity;
    this.#mask = mask;
    this.#times = times;
    this.#amounts = amounts;
    this.#removed = removed;
  }
}
