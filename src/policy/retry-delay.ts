import type { BackoffStep } from '../backoff/types.js';
import type { Verdict } from '../classify/verdict.js';
import type { Clock } from '../clock.js';
import type { Resolved } from './resolve.js';

/** The retry settings of a policy, read-only: what adapters map onto a scheduler of their own. */
export interface RetrySettings {
  /** Attempts in all, the first call included. */
  readonly maxAttempts: number;
  /** The deadline over one whole call (Infinity when there is none). */
  readonly maxElapsedMs: number;
  /** The clock the policy waits on. */
  readonly clock: Clock;
}

/** One wait, and the backoff step it came from (pass it back as `previousStep` to go on from it). */
export interface RetryWait {
  delayMs: number;
  step: BackoffStep;
}

/**
 * What the policy would wait before retry `retryNumber` (1 = the first retry, after attempt 1
 * failed) following `verdict`: max(backoff step, server hint), as the loop does. `undefined` when it
 * would give up instead: the verdict is not `retry`, attempt `retryNumber` was the last one
 * (`retryNumber >= maxAttempts`), or the server's hint is above `maxRetryAfterMs`.
 *
 * With `previousStep` (the step of retry n - 1) the schedule goes on from it. Without, it is walked
 * from the first step, drawing from `random` at each: every jitter keeps its distribution, but a
 * `decorrelated` draw is then not correlated with the waits actually taken.
 *
 * **Gotchas**: the call's deadline (`maxElapsedMs`) is not applied here: it belongs to one call,
 * whose start only the caller knows. Nor is the retry budget: the loop spends from it after this
 * answers, and only for calls it runs (it sees their successes, which refill it).
 */
export function retryDelay(
  p: Pick<Resolved, 'maxAttempts' | 'maxRetryAfterMs' | 'backoff' | 'random'>,
  verdict: Verdict,
  retryNumber: number,
  previousStep?: BackoffStep,
): RetryWait | undefined {
  if (!Number.isInteger(retryNumber) || retryNumber < 1) {
    throw new RangeError(`steady: retryNumber must be an integer >= 1, got ${String(retryNumber)}`);
  }
  if (verdict.action !== 'retry' || retryNumber >= p.maxAttempts) return undefined;
  const hint = verdict.retryAfterMs;
  if (hint !== undefined && hint > p.maxRetryAfterMs) return undefined;
  let step: BackoffStep;
  if (previousStep) {
    step = previousStep.next(p.random);
  } else {
    step = p.backoff.next(p.random);
    for (let n = 1; n < retryNumber; n++) step = step.next(p.random);
  }
  return { delayMs: Math.max(step.delayMs, hint ?? 0), step };
}
