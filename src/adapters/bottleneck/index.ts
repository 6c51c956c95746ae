import type Bottleneck from 'bottleneck';
import type { RetryVerdict } from '../../classify/verdict.js';
import type { Policy } from '../../policy/policy.js';
import { assertPolicy, retryDecision } from '../shared/retry-decision.js';

/** A listener for Bottleneck's `failed` event: the delay before the retry, or `undefined` for none. */
export type FailedListener = (error: unknown, info: Bottleneck.EventInfoRetryable) => number | undefined;

const TIMEOUT: RetryVerdict = Object.freeze({ action: 'retry', reason: 'timeout' }) as RetryVerdict;

/**
 * A `failed` listener that retries a job when the policy would, after the wait the policy would
 * take (the server's hint when there is one, the policy's backoff otherwise):
 *
 * ```ts
 * import Bottleneck from 'bottleneck';
 * import { bottleneckFailed } from 'steady/bottleneck';
 *
 * const limiter = new Bottleneck({ maxConcurrent: 4, minTime: 1_500 });
 * limiter.on('failed', bottleneckFailed(policy));
 * ```
 *
 * It returns `undefined` (no retry; the job rejects with its error) for a `fail` verdict, for a
 * hint above `maxRetryAfterMs`, and once `jobInfo.retryCount + 1 >= maxAttempts`. A job that
 * outlives its `expiration` counts as a `timeout` and is retried like one.
 *
 * **Gotchas**:
 * - Bottleneck runs a retry after the delay without queueing it again: retries bypass its
 *   `minTime` / reservoir accounting (a Bottleneck behaviour, not steady's).
 * - The policy's limiter, breaker, hooks, retry budget and `maxElapsedMs` are not used: Bottleneck
 *   runs the jobs, and steady never sees their successes to refill a budget spent here.
 * - Add only one listener that returns a delay: Bottleneck takes the first one that does.
 */
export function bottleneckFailed(policy: Policy): FailedListener {
  assertPolicy(policy, 'bottleneckFailed');
  return (error, info) => {
    if (isExpiration(error)) return policy.retryDelay(TIMEOUT, info.retryCount + 1);
    return retryDecision(policy, error, info.retryCount).delayMs;
  };
}

/** Bottleneck's own error when a job outlives its `expiration` (its `name` is plain `Error`). */
function isExpiration(error: unknown): boolean {
  if (!(error instanceof Error) || error.constructor.name !== 'BottleneckError') return false;
  return error.message.startsWith('This job timed out');
}
