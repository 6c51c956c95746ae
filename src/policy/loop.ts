import type { BackoffStep } from '../backoff/types.js';
import { classifyOutcome } from '../classify/classify.js';
import { toOutcome } from '../classify/extract.js';
import type { FailVerdict, RetryVerdict, Verdict } from '../classify/verdict.js';
import { abortReason, sleep } from '../clock.js';
import { DeadlineExceededError } from '../errors/deadline-exceeded-error.js';
import { FatalError } from '../errors/fatal-error.js';
import { RetriesExhaustedError } from '../errors/retries-exhausted-error.js';
import type { Cost, Reservation } from '../limit/types.js';
import { Attempt, AttemptTimeout, runAttempt } from './attempt.js';
import type { AttemptContext, RunOptions } from './options.js';
import type { Resolved } from './resolve.js';

const TIMEOUT: RetryVerdict = Object.freeze({ action: 'retry', reason: 'timeout' }) as RetryVerdict;
const INFINITY = Number.POSITIVE_INFINITY;

/** Classifies anything with the policy's rules (the user's, then the preset's, then generic HTTP). */
export function classifyWith(p: Resolved, x: unknown): Verdict {
  return classifyOutcome(toOutcome(x), p.rules, p.clock.now());
}

const NO_OPTIONS: RunOptions = Object.freeze({});

/** The attempt loop: breaker → limiter → attempt → classify → settle → wait → again. */
export function execute<T>(
  p: Resolved,
  fn: (ctx: AttemptContext) => T | PromiseLike<T>,
  opts: RunOptions = NO_OPTIONS,
): Promise<T> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  let call: Call;
  try {
    call = new Call(p, opts); // the breaker may refuse the call here
  } catch (err) {
    return Promise.reject(err);
  }
  return call.run(fn);
}

/** One call's state across its attempts. */
class Call {
  readonly start: number;
  readonly deadline: number;
  readonly probe: boolean;
  attempt = 0;
  verdict: Verdict | undefined;
  step: BackoffStep | undefined;

  constructor(
    readonly p: Resolved,
    readonly opts: RunOptions,
  ) {
    // The clock is read only when something needs the start: a deadline, or a listener's elapsedMs.
    this.start = p.maxElapsedMs !== INFINITY || p.emitter.active ? p.clock.now() : 0;
    this.deadline = this.start + p.maxElapsedMs;
    this.probe = p.breaker ? p.breaker.enter() : false;
  }

  async run<T>(fn: (ctx: AttemptContext) => T | PromiseLike<T>): Promise<T> {
    const { p, opts } = this;
    const { clock, emitter, limiter } = p;
    const { signal } = opts;
    const timed = this.deadline !== INFINITY || p.attemptTimeoutMs !== INFINITY;
    for (;;) {
      const attempt = ++this.attempt;
      let reservation: Reservation | undefined;
      if (limiter) {
        try {
          reservation = await limiter.acquire(costOf(opts), {
            signal,
            priority: opts.priority,
            deadline: this.deadline,
          });
        } catch (err) {
          throw this.fail(signal?.aborted ? abortReason(signal) : err);
        }
      }
      // Emitted here, inside the call (an AsyncLocalStorage set around policy.run sees them).
      if (reservation?.throttle && emitter.has('throttle'))
        emitter.emit('throttle', { ...reservation.throttle, attempt });
      if (emitter.has('attempt')) emitter.emit('attempt', { attempt, startedAt: clock.now() });

      const ctx = new Attempt(attempt, reservation);
      let error: unknown;
      try {
        let timeoutMs = p.attemptTimeoutMs;
        let byDeadline = false;
        if (timed) {
          const left = this.deadline - clock.now();
          byDeadline = left < timeoutMs;
          if (byDeadline) timeoutMs = left;
        }
        const result = await runAttempt(fn, ctx, clock, signal, timeoutMs, byDeadline);
        if (reservation && !ctx.taken) reservation.commit(p.usage ? this.usage(result) : undefined);
        p.breaker?.settle(this.probe);
        if (emitter.has('success'))
          emitter.emit('success', { attempts: attempt, elapsedMs: clock.now() - this.start });
        return result;
      } catch (err) {
        error = err;
      }
      if (reservation && !ctx.taken) settleFailed(reservation, error);
      await this.afterFailure(error);
    }
  }

  /** Classifies a failed attempt and waits before the next one, or throws what the caller gets. */
  private async afterFailure(error: unknown): Promise<void> {
    const { p, attempt } = this;
    const { signal } = this.opts;
    if (signal?.aborted) throw this.fail(abortReason(signal));
    if (error instanceof AttemptTimeout && error.byDeadline) {
      this.verdict = TIMEOUT;
      throw this.fail(this.deadlineError(error));
    }
    const verdict = error instanceof AttemptTimeout ? TIMEOUT : classifyWith(p, error);
    this.verdict = verdict;
    if (verdict.action !== 'retry') {
      const v = verdict as FailVerdict;
      throw this.fail(
        new FatalError(`steady: ${describe(v)}`, { cause: error, verdict: v, attempts: attempt }),
      );
    }
    const hint = verdict.retryAfterMs;
    // Every queued call waits after a 429, not only this one (no hint: the limiter's own default pause).
    if (verdict.reason === 'rate-limited' && p.limiter)
      p.limiter.pause(Math.min(hint ?? 0, p.maxRetryAfterMs), verdict.limit);
    const giveUp = (message: string) =>
      this.fail(
        new RetriesExhaustedError(`steady: ${message}: ${describe(verdict)}`, {
          cause: error,
          verdict,
          attempts: attempt,
        }),
      );
    if (attempt >= p.maxAttempts) throw giveUp(`gave up after ${attempt} attempts`);
    if (hint !== undefined && hint > p.maxRetryAfterMs) {
      throw giveUp(
        `the server asked to wait ${hint} ms, more than retry.maxRetryAfterMs (${p.maxRetryAfterMs} ms)`,
      );
    }
    this.step = (this.step ?? p.backoff).next(p.random);
    const delayMs = Math.max(this.step.delayMs, hint ?? 0);
    if (p.clock.now() + delayMs >= this.deadline) throw this.fail(this.deadlineError(error, delayMs));
    p.emitter.emit('retry', { attempt, verdict, delayMs, error });
    try {
      await sleep(p.clock, delayMs, signal);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** Reports the call's failure (hook, breaker) and returns the error to throw. */
  private fail(error: unknown): unknown {
    const { p, verdict } = this;
    p.emitter.emit('fail', { attempts: this.attempt, elapsedMs: p.clock.now() - this.start, error, verdict });
    p.breaker?.settle(this.probe, verdict?.action === 'fail' ? verdict : undefined);
    return error;
  }

  private usage(result: unknown): Partial<Record<string, number>> | undefined {
    const { usageOf } = this.opts;
    try {
      return this.p.usage!(usageOf ? usageOf(result) : result);
    } catch {
      return undefined;
    }
  }

  private deadlineError(cause: unknown, nextDelayMs?: number): DeadlineExceededError {
    const why =
      nextDelayMs === undefined
        ? 'the last attempt ran out of time'
        : `the next wait (${nextDelayMs} ms) would cross it`;
    return new DeadlineExceededError(
      `steady: retry.maxElapsedMs (${this.p.maxElapsedMs} ms) exceeded after ${this.attempt} attempts: ${why}`,
      { cause, verdict: this.verdict, attempts: this.attempt },
    );
  }
}

/** Codes of errors raised before the request left the process: the server saw nothing. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/**
 * Settles the reservation of a failed attempt: an attempt that never left the process gives
 * everything back (`cancel`, when the limiter has it); one that timed out keeps its estimate, since
 * the server may have billed it; any other failure gives back its tokens but still counts as a call.
 */
function settleFailed(reservation: Reservation, error: unknown): void {
  if (error instanceof AttemptTimeout) reservation.commit();
  else if (reservation.cancel && NOT_SENT.has(toOutcome(error).code ?? '')) reservation.cancel();
  else reservation.refund();
}

function costOf(opts: RunOptions): Cost {
  const cost: Record<string, number> = { calls: 1, tokens: opts.tokens ?? 0 };
  if (opts.cost) Object.assign(cost, opts.cost);
  return cost;
}

function describe(v: Verdict): string {
  if (v.action === 'ok') return 'ok';
  const status = v.status === undefined ? '' : ` (HTTP ${v.status})`;
  const message = v.message ? `: ${v.message}` : '';
  return `${v.reason}${status}${message}`;
}
