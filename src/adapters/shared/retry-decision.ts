import type { Verdict } from '../../classify/verdict.js';
import type { Policy } from '../../policy/policy.js';

/** What the policy decides about one failure when another library runs the retries. */
export interface RetryDecision {
  /** The policy's classification of the error. */
  verdict: Verdict;
  /** How long to wait before the next attempt; `undefined`: give up (do not retry). */
  delayMs: number | undefined;
}

/**
 * Classifies `error` with the policy and asks it how long it would wait before the next attempt.
 * `retryCount` is how many retries were made already: 0 when the first attempt has just failed
 * (Bottleneck's `retryCount`, p-retry's `retriesConsumed`).
 */
export function retryDecision(policy: Policy, error: unknown, retryCount: number): RetryDecision {
  const verdict = policy.classify(error);
  return { verdict, delayMs: policy.retryDelay(verdict, retryCount + 1) };
}

/** Throws a TypeError naming the adapter unless `policy` came from `createPolicy()`. */
export function assertPolicy(policy: unknown, adapter: string): asserts policy is Policy {
  const p = policy as Partial<Policy> | null | undefined;
  if (typeof p?.classify !== 'function' || typeof p.retryDelay !== 'function' || !p.retrySettings) {
    throw new TypeError(`steady: ${adapter}(policy) needs a policy from createPolicy()`);
  }
}
