import type { BackoffStep } from '../backoff/types.js';
import { classifyOutcome } from '../classify/classify.js';
import { toOutcome } from '../classify/extract.js';
import type { FailVerdict, RetryVerdict, Verdict } from '../classify/verdict.js';
import type { SteadyError } from '../errors/steady-error.js';
import { AttemptTimeout } from './attempt.js';
import { budgetSpent, exhausted, fatal, pastDeadline } from './outcomes.js';
import type { Resolved } from './resolve.js';
import { retryDelay } from './retry-delay.js';

/** A call's history so far, as a job runner keeps it between attempts (e.g. in the job's data). */
export interface CallHistory {
  /** The number of the attempt that just failed: 1 after the first. */
  attempt: number;
  /** The policy clock's time (`Date.now()` by default) when the call's first attempt started. */
  startedAt: number;
  /**
   * The step of the previous wait (`decision.step` of the last `retry` decision), to go on from it.
   * Without it the backoff is walked from its first step (see `policy.retryDelay`).
   */
  previousStep?: BackoffStep;
}

/** What to do after a failed attempt: retry after `delayMs`, or end the call with `error`. */
export type Decision =
  | {
      readonly action: 'retry';
      readonly delayMs: number;
      readonly verdict: RetryVerdict;
      readonly step: BackoffStep;
    }
  | { readonly action: 'fail'; readonly error: SteadyError; readonly verdict: Verdict };

/** Classifies anything with the policy's rules (the user's, then the preset's, then generic HTTP). */
export function classifyWith(p: Resolved, x: unknown): Verdict {
  return classifyOutcome(toOutcome(x, p.maxBodyBytes), p.rules, p.clock.now(), p.ruleName);
}

const TIMEOUT: RetryVerdict = Object.freeze({ action: 'retry', reason: 'timeout' }) as RetryVerdict;

/**
 * The loop's decision after attempt `attempt` failed with `error`, for a call whose deadline is
 * `deadline` (Infinity without one): the verdict, then max(backoff, hint) unless `maxAttempts`,
 * `maxRetryAfterMs`, the deadline or the retry budget stops it. Like the loop, a 429 pauses the
 * policy's limiter and a retry spends from the budget. The error is made (and redacted) here.
 */
export function decideAfter(
  p: Resolved,
  error: unknown,
  attempt: number,
  previousStep: BackoffStep | undefined,
  deadline: number,
  secrets: readonly unknown[] | undefined,
): Decision {
  if (error instanceof AttemptTimeout && error.byDeadline) {
    const e = pastDeadline(p.maxElapsedMs, error, TIMEOUT, attempt, undefined, secrets);
    return { action: 'fail', error: e, verdict: TIMEOUT };
  }
  const verdict = error instanceof AttemptTimeout ? TIMEOUT : classifyWith(p, error);
  if (verdict.action !== 'retry') {
    const e = fatal(verdict as FailVerdict, error, attempt, secrets);
    return { action: 'fail', error: e, verdict };
  }
  // Every queued call waits after a 429, not only this one (no hint: the limiter's own default
  // pause), for as long as the server asked, however long: nothing is sent before the server's
  // time. A call that would wait out more than maxRetryAfterMs of it is refused by the limiter.
  if (verdict.reason === 'rate-limited' && p.limiter)
    p.limiter.pause(verdict.retryAfterMs ?? 0, verdict.limit);
  const wait = retryDelay(p, verdict, attempt, previousStep);
  if (!wait) {
    const e = exhausted(verdict, error, attempt, p.maxAttempts, p.maxRetryAfterMs, secrets);
    return { action: 'fail', error: e, verdict };
  }
  const { delayMs, step } = wait;
  if (p.clock.now() + delayMs >= deadline) {
    const e = pastDeadline(p.maxElapsedMs, error, verdict, attempt, delayMs, secrets);
    return { action: 'fail', error: e, verdict };
  }
  if (p.budget && !p.budget.spend(verdict.reason)) {
    return { action: 'fail', error: budgetSpent(verdict, error, attempt, p.budget, secrets), verdict };
  }
  return { action: 'retry', delayMs, verdict, step };
}

/** `policy.decide`: the arguments checked, the deadline from the history's start. */
export function decide(
  p: Resolved,
  error: unknown,
  history: CallHistory,
  secrets?: readonly unknown[],
): Decision {
  if (typeof history !== 'object' || history === null)
    throw new TypeError('steady: decide(error, history): history must be { attempt, startedAt }');
  const { attempt, startedAt, previousStep } = history;
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`steady: decide(): history.attempt must be an integer >= 1, got ${String(attempt)}`);
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt))
    throw new TypeError(
      `steady: decide(): history.startedAt must be a clock time in milliseconds, got ${String(startedAt)}`,
    );
  if (previousStep !== undefined && typeof previousStep?.next !== 'function')
    throw new TypeError('steady: decide(): history.previousStep must be the step of a previous decision');
  return decideAfter(p, error, attempt, previousStep, startedAt + p.maxElapsedMs, secrets);
}
