import type { BackoffStep } from '../backoff/types.js';
import { readErrorBody, unreadResponse } from '../classify/response-text.js';
import type { Verdict } from '../classify/verdict.js';
import { abortReason, sleep } from '../clock.js';
import { DeadlineExceededError } from '../errors/deadline-exceeded-error.js';
import { keepRaw, rawCause } from '../errors/raw.js';
import { redaction, scrubVerdict, secretsOf } from '../errors/redact.js';
import {
  RetriesExhaustedError,
  type RetriesExhaustedErrorOptions,
} from '../errors/retries-exhausted-error.js';
import { SteadyError } from '../errors/steady-error.js';
import { DEADLINE } from './admission.js';
import { decideAfter } from './decide.js';
import type { RunOptions } from './options.js';
import { pastDeadline } from './outcomes.js';
import type { Resolved } from './resolve.js';

/**
 * One call's history across its attempts, and the ways it ends in failure: a failed attempt is
 * classified and waited out or ends the call (`afterFailure`), the limiter refuses the next attempt
 * (`refused`), and every end is reported once (`fail`). The attempt loop (`Call` in loop.ts) builds on it.
 */
export class CallHistory {
  readonly deadline: number;
  attempt = 0;
  verdict: Verdict | undefined;
  step: BackoffStep | undefined;
  lastError: unknown;
  /** Set once the call's end was reported (hook, breaker). */
  reported = false;

  constructor(
    readonly p: Resolved,
    readonly opts: RunOptions,
    /** Clock time the call began (0 when nothing needs it), and its breaker probe. */
    readonly start: number,
    readonly probe: boolean,
  ) {
    this.deadline = start + p.maxElapsedMs;
  }

  /**
   * The limiter refused the next attempt (the caller aborted, the deadline came, the queue is full,
   * the cost can never fit): reports it, keeping the call's history (attempts so far, last verdict,
   * last error), and returns the error to throw.
   */
  refused(err: unknown): unknown {
    const { signal, secrets } = this.opts;
    if (signal?.aborted) return this.fail(abortReason(signal));
    if (err === DEADLINE || err instanceof DeadlineExceededError) return this.fail(this.pastDeadline());
    if (!(err instanceof SteadyError) || this.attempt === 0) return this.fail(err);
    const Class = err.constructor as new (message: string, o: RetriesExhaustedErrorOptions) => SteadyError;
    const stoppedBy = err instanceof RetriesExhaustedError ? err.stoppedBy : undefined;
    return this.fail(
      new Class(err.message, {
        cause: this.lastError,
        verdict: this.verdict,
        attempts: this.attempt,
        stoppedBy,
        secrets,
      }),
    );
  }

  /** The error of a call whose deadline came, with its history. */
  pastDeadline(): DeadlineExceededError {
    const { p, opts } = this;
    return pastDeadline(p.maxElapsedMs, this.lastError, this.verdict, this.attempt, undefined, opts.secrets);
  }

  /** Classifies a failed attempt and waits before the next one, or throws what the caller gets. */
  protected async afterFailure(error: unknown): Promise<void> {
    const { p, attempt } = this;
    const { signal, secrets } = this.opts;
    if (signal?.aborted) throw this.fail(abortReason(signal));
    if (unreadResponse(error)) {
      // ky's HTTPError: the body says what the status does not (a 400 "too many tokens"). Read its
      // start from a clone, bounded like an attempt: the caller's signal, attemptTimeoutMs, the deadline.
      const left = Math.min(p.attemptTimeoutMs, this.deadline - p.clock.now());
      await readErrorBody(error, p.maxBodyBytes, p.clock, signal, left);
      if (signal?.aborted) throw this.fail(abortReason(signal));
    }
    const decision = decideAfter(p, error, attempt, this.step, this.deadline, secrets);
    this.verdict = decision.verdict;
    if (decision.action === 'fail') throw this.fail(decision.error);
    const { verdict, delayMs } = decision;
    this.step = decision.step;
    if (p.emitter.has('retry')) {
      // Listeners get a redacted copy of the error (its raw self through `rawCause`).
      const shown = redaction(error, secrets);
      const event = { attempt, verdict: scrubVerdict(verdict, shown.secrets), delayMs, error: shown.value };
      keepRaw(event, error);
      p.emitter.emit('retry', event);
    }
    try {
      await sleep(p.clock, delayMs, signal);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /**
   * Reports the call's failure (hook, breaker) once and returns the error to throw. A steady error
   * was redacted when it was made; the verdict shown beside anything else (the caller's abort
   * reason, an error thrown by a user's rule) is scrubbed of the secrets of the last attempt's error.
   */
  protected fail(error: unknown): unknown {
    if (this.reported) return error;
    this.reported = true;
    const { p } = this;
    let { verdict } = this;
    if (error instanceof SteadyError && error.verdict) verdict = error.verdict;
    else if (verdict?.message) verdict = scrubVerdict(verdict, secretsOf(this.lastError, this.opts.secrets));
    p.breaker?.settle(this.probe, verdict);
    if (p.emitter.has('fail')) {
      const event = { attempts: this.attempt, elapsedMs: p.clock.now() - this.start, error, verdict };
      keepRaw(event, rawCause(error));
      p.emitter.emit('fail', event);
    }
    return error;
  }
}
