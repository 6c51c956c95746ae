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
import { QueuedLimiter } from '../limit/limiter.js';
import type { Limiter, Reservation } from '../limit/types.js';
import { admit, costOf, DEADLINE, settleFailed } from './admission.js';
import { aroundAttempt } from './around-attempt.js';
import { Attempt, runAttempt } from './attempt.js';
import { decideAfter } from './decide.js';
import type { AttemptContext, RunOptions } from './options.js';
import { pastDeadline } from './outcomes.js';
import { QueuedCall, Refusal } from './queued-call.js';
import type { Resolved } from './resolve.js';

const INFINITY = Number.POSITIVE_INFINITY;

export { classifyWith } from './decide.js';

const NO_OPTIONS: RunOptions = Object.freeze({});

/** The attempt loop: breaker → limiter → attempt → classify → settle → wait → again. */
export function execute<T>(
  p: Resolved,
  fn: (ctx: AttemptContext) => T | PromiseLike<T>,
  opts: RunOptions = NO_OPTIONS,
): Promise<T> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (p.route) opts = { ...opts, cost: p.route.cost(opts.endpoint, costOf(opts)) };
  // The clock is read only when something needs the start: a deadline, or a listener's elapsedMs.
  const start = p.maxElapsedMs !== INFINITY || p.emitter.active ? p.clock.now() : 0;
  let probe: boolean;
  try {
    probe = p.breaker ? p.breaker.enter() : false; // the breaker may refuse the call here
  } catch (err) {
    return Promise.reject(err);
  }
  const { limiter } = p;
  if (!limiter) return new Call(p, opts, start, probe).run(fn, undefined);
  // Queue first, build the attempt machinery after admission: a call waiting in the limiter holds
  // its place there and its continuation, nothing more.
  if (limiter instanceof QueuedLimiter && p.maxElapsedMs === INFINITY) {
    const cost = costOf(opts);
    // Room now: no promise and no await before the first attempt.
    const now = limiter.acquireNow(cost, opts.priority === undefined ? 0 : opts.priority);
    if (now) return new Call(p, opts, start, probe).run(fn, now);
    const queued = new QueuedCall(p, opts, fn, start, probe, cost);
    const answered = queued.answered();
    limiter.enqueue(queued);
    return answered.then(resume) as Promise<T>;
  }
  const call = new Call(p, opts, start, probe);
  let admitted: Promise<Reservation>;
  try {
    admitted = admit(limiter, p.clock, opts, call.deadline, p.maxRetryAfterMs);
  } catch (err) {
    return Promise.reject(call.refused(err)); // a custom limiter that throws instead of rejecting
  }
  return admitted.then(
    (reservation) => call.run(fn, reservation),
    (err) => Promise.reject(call.refused(err)),
  );
}

/** Starts a call the limiter admitted after a wait, or reports its refusal. */
function resume(q: QueuedCall): Promise<unknown> {
  const call = new Call(q.p, q.opts, q.start, q.probe);
  const { outcome } = q;
  return outcome instanceof Refusal ? Promise.reject(call.refused(outcome.error)) : call.run(q.fn, outcome!);
}

/** One call's state across its attempts. */
class Call {
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

  /** Runs the attempts; `first` is the first attempt's reservation when the limiter admitted it already. */
  async run<T>(fn: (ctx: AttemptContext) => T | PromiseLike<T>, first: Reservation | undefined): Promise<T> {
    const { p, opts } = this;
    const { clock, emitter, limiter } = p;
    const { signal } = opts;
    const timed = this.deadline !== INFINITY || p.attemptTimeoutMs !== INFINITY;
    try {
      let reservation = first;
      for (;;) {
        if (limiter && !reservation) reservation = await this.admit(limiter);
        let timeoutMs = p.attemptTimeoutMs;
        let byDeadline = false;
        if (timed) {
          const left = this.deadline - clock.now();
          if (left <= 0) {
            // Admitted too late to start: the attempt never runs.
            if (reservation?.cancel) reservation.cancel();
            else reservation?.refund();
            throw this.fail(
              pastDeadline(
                this.p.maxElapsedMs,
                this.lastError,
                this.verdict,
                this.attempt,
                undefined,
                opts.secrets,
              ),
            );
          }
          byDeadline = left < timeoutMs;
          if (byDeadline) timeoutMs = left;
        }
        const attempt = ++this.attempt;
        // Emitted here, inside the call (an AsyncLocalStorage set around policy.run sees them).
        if (reservation?.throttle && emitter.has('throttle'))
          emitter.emit('throttle', { ...reservation.throttle, attempt });
        if (emitter.has('attempt')) emitter.emit('attempt', { attempt, startedAt: clock.now() });

        const ctx = new Attempt(attempt, reservation);
        let ok = false;
        let result!: T;
        try {
          // Instrumented (steady/otel), the attempt runs inside `p.around`.
          result = await (p.around
            ? aroundAttempt(p.around, fn, ctx, clock, signal, timeoutMs, byDeadline)
            : runAttempt(fn, ctx, clock, signal, timeoutMs, byDeadline));
          ok = true;
        } catch (err) {
          this.lastError = err;
        }
        p.watch?.observe(ok ? result : this.lastError);
        if (ok) {
          if (reservation && !ctx.taken) this.commit(reservation, result);
          p.breaker?.settle(this.probe, 'ok');
          p.budget?.refill();
          this.reported = true;
          if (emitter.has('success'))
            emitter.emit('success', { attempts: attempt, elapsedMs: clock.now() - this.start });
          return result;
        }
        if (reservation && !ctx.taken) settleFailed(reservation, this.lastError);
        reservation = undefined;
        await this.afterFailure(this.lastError);
      }
    } catch (err) {
      // Every way out is reported once (hook, breaker probe), even an error thrown by a user rule.
      throw this.reported ? err : this.fail(err);
    }
  }

  /** Waits for the limiter before a retry. */
  private async admit(limiter: Limiter): Promise<Reservation> {
    try {
      return await admit(limiter, this.p.clock, this.opts, this.deadline, this.p.maxRetryAfterMs);
    } catch (err) {
      throw this.refused(err);
    }
  }

  /**
   * The limiter refused the next attempt (the caller aborted, the deadline came, the queue is full,
   * the cost can never fit): reports it, keeping the call's history (attempts so far, last verdict,
   * last error), and returns the error to throw.
   */
  refused(err: unknown): unknown {
    const { signal, secrets } = this.opts;
    if (signal?.aborted) return this.fail(abortReason(signal));
    if (err === DEADLINE || err instanceof DeadlineExceededError) {
      return this.fail(
        pastDeadline(this.p.maxElapsedMs, this.lastError, this.verdict, this.attempt, undefined, secrets),
      );
    }
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

  /** Settles a successful attempt's reservation with the usage it reports; a store error never fails the call. */
  private commit(reservation: Reservation, result: unknown): void {
    const { p } = this;
    try {
      reservation.commit(p.usage ? this.usage(result) : undefined);
    } catch {
      // The call succeeded and was billed; the ledger's trouble is not the caller's.
    }
  }

  /** Classifies a failed attempt and waits before the next one, or throws what the caller gets. */
  private async afterFailure(error: unknown): Promise<void> {
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
  private fail(error: unknown): unknown {
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

  private usage(result: unknown): Partial<Record<string, number>> | undefined {
    const { usageOf } = this.opts;
    try {
      const usage = this.p.usage!(usageOf ? usageOf(result) : result);
      return this.p.route ? this.p.route.usage(this.opts.endpoint, usage) : usage;
    } catch {
      return undefined;
    }
  }
}
