import { abortReason, type Clock } from '../clock.js';
import type { Reservation } from '../limit/types.js';
import type { AttemptContext } from './options.js';

/**
 * The error an attempt rejects with when its own timeout fires. Its code is steady's own, not
 * `ETIMEDOUT`: a client around steady that retries on network codes found down the `cause` chain
 * (the AI SDK does) would otherwise retry steady's final error, multiplying its attempts.
 */
export class AttemptTimeout extends Error {
  override name = 'TimeoutError';
  readonly code = 'STEADY_ATTEMPT_TIMEOUT';
  constructor(
    readonly timeoutMs: number,
    /** True when the timeout was cut short by the call's deadline. */
    readonly byDeadline: boolean,
  ) {
    super(`attempt timed out after ${timeoutMs} ms${byDeadline ? ' (the call deadline)' : ''}`);
  }
}

const NO_RESERVATION: Reservation = Object.freeze({ commit() {}, refund() {} });

/**
 * What `fn` receives for one attempt. Its signal is made only when read, and never shared between
 * attempts: clients add listeners to the signals they are given.
 */
export class Attempt implements AttemptContext {
  /** Set once `fn` took the reservation over. */
  taken = false;
  #controller: AbortController | undefined;

  constructor(
    readonly attempt: number,
    readonly reservation: Reservation | undefined,
  ) {}

  get signal(): AbortSignal {
    if (!this.#controller) this.#controller = new AbortController();
    return this.#controller.signal;
  }

  takeReservation(): Reservation {
    this.taken = true;
    return this.reservation ?? NO_RESERVATION;
  }

  /** Aborts the attempt's signal, also for whoever reads it later (e.g. after an await in fn). */
  abort(reason: unknown): void {
    if (!this.#controller) this.#controller = new AbortController();
    this.#controller.abort(reason);
  }
}

/**
 * Runs one attempt. Rejects at once when the caller's signal aborts (with its reason) or the
 * timeout fires (with `AttemptTimeout`), even if `fn` ignores its signal. With neither a signal
 * nor a timeout this is a plain call: no listener, no timer.
 */
export function runAttempt<T>(
  fn: (ctx: AttemptContext) => T | PromiseLike<T>,
  ctx: Attempt,
  clock: Clock,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  byDeadline: boolean,
): Promise<T> {
  const timed = timeoutMs !== Number.POSITIVE_INFINITY;
  if (!timed && !signal) return call(fn, ctx);
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    let timer: unknown;
    const done = () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      const reason = abortReason(signal!);
      ctx.abort(reason);
      reject(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timed) {
      timer = clock.setTimeout(() => {
        timer = undefined;
        done();
        const err = new AttemptTimeout(timeoutMs, byDeadline);
        ctx.abort(err);
        reject(err);
      }, timeoutMs);
    }
    call(fn, ctx).then(
      (v) => {
        done();
        resolve(v);
      },
      (e) => {
        done();
        reject(e);
      },
    );
  });
}

function call<T>(fn: (ctx: AttemptContext) => T | PromiseLike<T>, ctx: AttemptContext): Promise<T> {
  try {
    return Promise.resolve(fn(ctx));
  } catch (err) {
    return Promise.reject(err);
  }
}
