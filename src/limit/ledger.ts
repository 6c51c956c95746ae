/**
 * The arithmetic behind `MemoryStore`: one algorithm over a fixed list of dimensions, with amounts as
 * plain arrays indexed like `dims`. Synchronous, no ids, no pause: the store adds those.
 */

/** Where a cost does not fit: the dimension index and the time until it would. */
export interface Blocked {
  dim: number;
  waitMs: number;
}

/** `H` is the ledger's own handle for one admission (what `add` returns). */
export interface Ledger<H = unknown> {
  /** Checks `amounts` against every dimension at `now` (never earlier than the last call). */
  blocked(amounts: readonly number[], now: number): Blocked | undefined;
  /**
   * `blocked` and `add` in one step: when `check` fits at `now`, records `amounts` (at least `check`
   * wherever `check` is not 0) and returns its handle; else undefined and nothing changed.
   */
  take(check: readonly number[], amounts: readonly number[], now: number): H | undefined;
  /** Records an admission that `blocked` allowed. The ledger keeps a copy of `amounts`, not the array. */
  add(amounts: readonly number[], now: number): H;
  /**
   * Replaces the amounts of `held` on the dimensions where `next` has a number; `from` is what the
   * admission holds now (the amounts it was added with). Once per admission.
   */
  adjust(held: H, from: readonly number[], next: readonly (number | undefined)[], now: number): void;
  /** Gives back all of `held`, which holds `from`. Once per admission, and never after `adjust`. */
  remove(held: H, from: readonly number[], now: number): void;
  /** Units of dimension `d` counted at `now` (in its window, or missing from its bucket). */
  used(d: number, now: number): number;
  /** Units of dimension `d` admitted after `since` and still counted (the last seen time); absent: unknown. */
  usedAfter?(d: number, since: number): number;
  /** Whether `adjust` needs the current time (false: the last time seen will do). */
  readonly adjustNeedsNow: boolean;
  /** Records the ledger still keeps (in-window entries; 0 for the bucket). */
  readonly size: number;
}

/** Amounts this close to a limit count as within it (float sums of fractional costs). */
export const EPSILON = 1e-9;
