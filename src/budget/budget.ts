import type { RetryReason } from '../classify/verdict.js';
import type { Emitter } from '../hooks/emitter.js';
import { invalid, number, type Shape } from '../validate.js';

export interface BudgetOptions {
  /** The budget's capacity; it starts full. @default 500 */
  maxTokens?: number;
  /** What one retry spends. @default 5 */
  retryCost?: number;
  /** What one retry after a `timeout` spends (a timeout holds the server longest). @default 10 */
  timeoutCost?: number;
}

/** The budget's options, checked by the one checker (`budget.maxTokens` & co). */
export const BUDGET_SHAPE: Shape = {
  maxTokens: number({ min: 1, infinite: false }),
  retryCost: number({ infinite: false }),
  timeoutCost: number({ infinite: false }),
};

/**
 * The retry budget: every retry of every call of one policy spends from it, every success puts one
 * token back, so retries stay a bounded share of the traffic and an outage is not multiplied by
 * the fleet's `maxAttempts`. The first attempt of a call is never refused.
 *
 * The figures are the AWS SDKs' retry quota ("standard" retry mode: 500 tokens, a retry costs 5, a
 * retry after a timeout 10, a success gives 1 back), because they keep all three promises:
 * - A healthy service is never held back: a lone retry needs 5 of 500 tokens, and a service failing
 *   under 1 call in 5 refills faster than it spends (5 per retry against 1 per success).
 * - A total outage costs at most 500 / 5 = 100 retries for the whole policy, then none until
 *   successes come back: 1,000 callers with `maxAttempts: 4` make 1,100 attempts (1.1 per call)
 *   instead of 4,000; the more callers, the nearer to 1.
 * - It recovers by itself: each success gives a token back, so retries are allowed again after 5
 *   successes and the budget is full after 500.
 * Unlike the AWS SDKs, a success after retries gives back 1, not the retry's cost: one add on the
 * success path, and a slower refill while calls still need retries to succeed.
 *
 * gRPC's retry throttling (proposal A6: `maxTokens` up to 1,000, `tokenRatio`; each failed attempt
 * −1, each success +`tokenRatio`; retries stop while tokens ≤ maxTokens / 2) was the other
 * candidate. Its first attempts spend too, which caps retries as a share of traffic, but it has no
 * default (the service config sets both), and with `maxTokens: 10` as in its examples five
 * concurrent failures on a healthy service turn retries off. One part of it is kept: the `budget`
 * event says `recovered` once the tokens are back to half the capacity, gRPC's threshold, so the
 * event does not flap every five successes during a partial outage.
 */
export class RetryBudget {
  readonly maxTokens: number;
  readonly retryCost: number;
  readonly timeoutCost: number;
  #tokens: number;
  #dry = false;

  constructor(
    options: BudgetOptions,
    private readonly emitter: Emitter,
  ) {
    const { maxTokens = 500, retryCost = 5, timeoutCost = 10 } = options;
    for (const name of ['retryCost', 'timeoutCost'] as const) {
      const cost = options[name];
      if (cost !== undefined && cost > maxTokens)
        throw invalid(
          `budget.${name}`,
          `at most budget.maxTokens (${maxTokens}), or no retry could ever be paid`,
          cost,
          true,
        );
    }
    this.maxTokens = maxTokens;
    this.retryCost = retryCost;
    this.timeoutCost = timeoutCost;
    this.#tokens = maxTokens;
  }

  /** Tokens left. */
  get tokens(): number {
    return this.#tokens;
  }

  /** What a retry after `reason` costs. */
  costOf(reason: RetryReason): number {
    return reason === 'timeout' ? this.timeoutCost : this.retryCost;
  }

  /** Pays for one retry after `reason`; false (and nothing spent) when the budget cannot. */
  spend(reason: RetryReason): boolean {
    const cost = this.costOf(reason);
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return true;
    }
    if (!this.#dry) {
      this.#dry = true;
      this.emitter.emit('budget', { state: 'exhausted', tokens: this.#tokens, maxTokens: this.maxTokens });
    }
    return false;
  }

  /** A call succeeded: one token back, up to the capacity. */
  refill(): void {
    if (this.#tokens >= this.maxTokens) return;
    this.#tokens = Math.min(this.maxTokens, this.#tokens + 1);
    if (this.#dry && this.#tokens >= this.maxTokens / 2) {
      this.#dry = false;
      this.emitter.emit('budget', { state: 'recovered', tokens: this.#tokens, maxTokens: this.maxTokens });
    }
  }
}
