import { abortReason, type Clock } from '../clock.js';
import { QueuedLimiter } from '../limit/limiter.js';
import { Ticket } from '../limit/ticket.js';
import type { Limiter, Reservation } from '../limit/types.js';
import { admit, costOf, settleFailed } from './admission.js';
import { aroundAttempt } from './around-attempt.js';
import { Attempt, runAttempt } from './attempt.js';
import { CallHistory } from './failure.js';
import type { AttemptContext, RunOptions } from './options.js';
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

/** When an attempt starts: the time its fast-path admission read (the same tick), else the clock's. */
function startedAt(reservation: Reservation | undefined, clock: Clock): number {
  return reservation instanceof Ticket && !Number.isNaN(reservation.at) ? reservation.at : clock.now();
}

/** Starts a call the limiter admitted after a wait, or reports its refusal. */
function resume(q: QueuedCall): Promise<unknown> {
  const call = new Call(q.p, q.opts, q.start, q.probe);
  const { outcome } = q;
  return outcome instanceof Refusal ? Promise.reject(call.refused(outcome.error)) : call.run(q.fn, outcome!);
}

/** One call's attempts: admission, the attempt, its success; failures go to `CallHistory`. */
class Call extends CallHistory {
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
            throw this.fail(this.pastDeadline());
          }
          byDeadline = left < timeoutMs;
          if (byDeadline) timeoutMs = left;
        }
        const attempt = ++this.attempt;
        // Emitted here, inside the call (an AsyncLocalStorage set around policy.run sees them).
        if (reservation?.throttle && emitter.has('throttle'))
          emitter.emit('throttle', { ...reservation.throttle, attempt });
        // One start time for the event and the server watch, read only when one of them needs it.
        const hasAttempt = emitter.has('attempt');
        const sentAt = p.watch || hasAttempt ? startedAt(reservation, clock) : 0;
        if (hasAttempt) emitter.emit('attempt', { attempt, startedAt: sentAt });

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
        p.watch?.observe(ok ? result : this.lastError, sentAt);
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

  /** Settles a successful attempt's reservation with the usage it reports; a store error never fails the call. */
  private commit(reservation: Reservation, result: unknown): void {
    const { p } = this;
    try {
      reservation.commit(p.usage ? this.usage(result) : undefined);
    } catch {
      // The call succeeded and was billed; the ledger's trouble is not the caller's.
    }
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
