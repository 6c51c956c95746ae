import { CallCost } from './call-cost.js';
import type { Cost } from './types.js';

/**
 * A cost as amounts indexed like a store's dimensions. The array returned is scratch, rewritten by
 * the next call, except for the first frozen cost seen (the policy's one-call cost), whose amounts
 * are worked out once and kept: it cannot change.
 */
export class CostAmounts {
  readonly #scratch: number[];
  /** Where `calls` and `tokens` are in `dims` (−1: not limited). */
  readonly #callsAt: number;
  readonly #tokensAt: number;
  #frozen: Cost | undefined;
  #frozenAmounts: number[] = [];

  constructor(private readonly dims: readonly string[]) {
    this.#scratch = dims.map(() => 0);
    this.#callsAt = dims.indexOf('calls');
    this.#tokensAt = dims.indexOf('tokens');
  }

  of(cost: Cost): number[] {
    if (cost === this.#frozen) return this.#frozenAmounts;
    const { dims } = this;
    const amounts = this.#scratch;
    if (cost instanceof CallCost) {
      // Its two names are known: no lookup by name.
      for (let i = 0; i < dims.length; i++) amounts[i] = 0;
      if (this.#callsAt >= 0) amounts[this.#callsAt] = 1;
      if (this.#tokensAt >= 0) amounts[this.#tokensAt] = cost.tokens;
      return amounts;
    }
    for (let i = 0; i < dims.length; i++) amounts[i] = cost[dims[i]!] ?? 0;
    if (this.#frozen === undefined && Object.isFrozen(cost)) {
      this.#frozen = cost;
      this.#frozenAmounts = [...amounts];
    }
    return amounts;
  }
}
