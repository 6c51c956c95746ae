import { type Blocked, EPSILON, type Ledger } from './ledger.js';

/** What one admission holds on each dimension (changed in place by `adjust`). */
interface Held {
  readonly amounts: number[];
}

/**
 * A classic token bucket per dimension: capacity `limit`, refilled continuously at `limit` per
 * `spanMs` (window + safety margin). Starts full. A settle that charges more than was reserved may
 * take a level below zero; nothing is admitted until it has refilled.
 */
export class BucketLedger implements Ledger<Held> {
  readonly #levels: number[];
  #last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: readonly number[],
    private readonly spansMs: readonly number[],
  ) {
    this.#levels = [...limits];
  }

  /** A settle's refund is capped at the level refilled up to now. */
  readonly adjustNeedsNow = true;

  get size(): number {
    return 0;
  }

  #refill(now: number): void {
    if (now > this.#last && this.#last !== Number.NEGATIVE_INFINITY) {
      const dt = now - this.#last;
      for (let d = 0; d < this.limits.length; d++) {
        const limit = this.limits[d]!;
        this.#levels[d] = Math.min(limit, this.#levels[d]! + (dt * limit) / this.spansMs[d]!);
      }
    }
    if (now > this.#last) this.#last = now;
  }

  blocked(amounts: readonly number[], now: number): Blocked | undefined {
    this.#refill(now);
    let worst: Blocked | undefined;
    for (let d = 0; d < this.limits.length; d++) {
      const missing = amounts[d]! - this.#levels[d]!;
      if (missing <= EPSILON) continue;
      const limit = this.limits[d]!;
      const waitMs =
        amounts[d]! > limit + EPSILON ? Number.POSITIVE_INFINITY : (missing * this.spansMs[d]!) / limit;
      if (!worst || waitMs > worst.waitMs) worst = { dim: d, waitMs };
    }
    return worst;
  }

  take(check: readonly number[], amounts: readonly number[], now: number): Held | undefined {
    return this.blocked(check, now) ? undefined : this.add(amounts, now);
  }

  add(amounts: readonly number[], now: number): Held {
    this.#refill(now);
    for (let d = 0; d < amounts.length; d++) this.#levels[d]! -= amounts[d]!;
    return { amounts: [...amounts] };
  }

  /** `from` is not needed: each admission keeps its own amounts here. */
  adjust(held: Held, _from: readonly number[], next: readonly (number | undefined)[], now: number): void {
    this.#refill(now);
    for (let d = 0; d < next.length; d++) {
      const v = next[d];
      if (v === undefined) continue;
      // A refund tops the bucket up, never past its capacity.
      this.#levels[d] = Math.min(this.limits[d]!, this.#levels[d]! - (v - held.amounts[d]!));
      held.amounts[d] = v;
    }
  }

  remove(held: Held, from: readonly number[], now: number): void {
    this.adjust(
      held,
      from,
      held.amounts.map(() => 0),
      now,
    );
  }

  used(d: number, now: number): number {
    this.#refill(now);
    return this.limits[d]! - this.#levels[d]!;
  }
}
