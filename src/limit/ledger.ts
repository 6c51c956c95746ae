/**
 * The arithmetic behind `MemoryStore`: one algorithm over a fixed list of dimensions, with amounts as
 * plain arrays indexed like `dims`. Synchronous, no ids, no pause: the store adds those.
 */

/** What one admission holds on each dimension; the ledger's own record of it. */
export interface Held {
  /** Admission time. */
  readonly time: number;
  /** Amount per dimension, indexed like the ledger's dims. Changed in place by `adjust`. */
  readonly amounts: number[];
}

/** Where a cost does not fit: the dimension index and the time until it would. */
export interface Blocked {
  dim: number;
  waitMs: number;
}

export interface Ledger {
  /** Checks `amounts` against every dimension at `now` (never earlier than the last call). */
  blocked(amounts: readonly number[], now: number): Blocked | undefined;
  /** Records an admission that `blocked` allowed. */
  add(amounts: number[], now: number): Held;
  /** Replaces the amounts of `held` on the dimensions where `next` has a number. */
  adjust(held: Held, next: readonly (number | undefined)[], now: number): void;
  /** Gives back all of `held`. */
  remove(held: Held, now: number): void;
  /** Records the ledger still keeps (in-window entries; 0 for the bucket). */
  readonly size: number;
}

/** Amounts this close to a limit count as within it (float sums of fractional costs). */
export const EPSILON = 1e-9;
