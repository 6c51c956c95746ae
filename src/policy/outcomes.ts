import type { RetryBudget } from '../budget/budget.js';
import type { FailVerdict, RetryVerdict, Verdict } from '../classify/verdict.js';
import { DeadlineExceededError } from '../errors/deadline-exceeded-error.js';
import { FatalError } from '../errors/fatal-error.js';
import { RetriesExhaustedError } from '../errors/retries-exhausted-error.js';

/**
 * The errors a call ends with, their messages in one place. `secrets` are the call's declared
 * secrets (`RunOptions.secrets`): the error's constructor redacts its message, verdict and cause.
 */

/** A verdict in words: `server-error (HTTP 503): upstream unavailable`. */
export function describe(v: Verdict): string {
  if (v.action === 'ok') return 'ok';
  const status = v.status === undefined ? '' : ` (HTTP ${v.status})`;
  const message = v.message ? `: ${v.message}` : '';
  return `${v.reason}${status}${message}`;
}

export function fatal(
  verdict: FailVerdict,
  cause: unknown,
  attempts: number,
  secrets?: readonly unknown[],
): FatalError {
  return new FatalError(`steady: ${describe(verdict)}`, { cause, verdict, attempts, secrets });
}

/** No retry left: `maxAttempts` is used up, or the server's hint is above `maxRetryAfterMs`. */
export function exhausted(
  verdict: RetryVerdict,
  cause: unknown,
  attempts: number,
  maxAttempts: number,
  maxRetryAfterMs: number,
  secrets?: readonly unknown[],
): RetriesExhaustedError {
  const byCount = attempts >= maxAttempts;
  const why = byCount
    ? `gave up after ${attempts} attempts`
    : `the server asked to wait ${verdict.retryAfterMs} ms, more than retry.maxRetryAfterMs (${maxRetryAfterMs} ms)`;
  const stoppedBy = byCount ? 'maxAttempts' : 'maxRetryAfterMs';
  return new RetriesExhaustedError(`steady: ${why}: ${describe(verdict)}`, {
    cause,
    verdict,
    attempts,
    stoppedBy,
    secrets,
  });
}

/** The policy's retry budget cannot pay for the next retry (too many retries lately, too few successes). */
export function budgetSpent(
  verdict: RetryVerdict,
  cause: unknown,
  attempts: number,
  budget: RetryBudget,
  secrets?: readonly unknown[],
): RetriesExhaustedError {
  const { tokens, maxTokens } = budget;
  const why =
    `the retry budget is spent (${tokens} of ${maxTokens} tokens left, a retry costs ${budget.costOf(verdict.reason)}; ` +
    `successes refill it), gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  return new RetriesExhaustedError(`steady: ${why}: ${describe(verdict)}`, {
    cause,
    verdict,
    attempts,
    stoppedBy: 'budget',
    secrets,
  });
}

/** `maxElapsedMs` ran out: during the last attempt, or the next wait would cross it. */
export function pastDeadline(
  maxElapsedMs: number,
  cause: unknown,
  verdict: Verdict | undefined,
  attempts: number,
  nextDelayMs?: number,
  secrets?: readonly unknown[],
): DeadlineExceededError {
  const why =
    nextDelayMs === undefined
      ? 'the last attempt ran out of time'
      : `the next wait (${nextDelayMs} ms) would cross it`;
  return new DeadlineExceededError(
    `steady: retry.maxElapsedMs (${maxElapsedMs} ms) exceeded after ${attempts} attempts: ${why}`,
    { cause, verdict, attempts, secrets },
  );
}
