import { statusAndCode } from '../classify/extract.js';
import { abortReason, type Clock } from '../clock.js';
import { CallCost } from '../limit/call-cost.js';
import type { Cost, Limiter, Reservation } from '../limit/types.js';
import { show } from '../validate.js';
import { AttemptTimeout } from './attempt.js';
import type { RunOptions } from './options.js';

/** The reason the acquire signal carries when the call's deadline, not the caller, aborted it. */
export const DEADLINE = Symbol('steady.deadline');

const ONE_CALL: Cost = Object.freeze({ calls: 1, tokens: 0 });

/** What one attempt reserves: one call, its token estimate, and any custom dimensions. */
export function costOf(opts: RunOptions): Cost {
  if (!opts.cost) return opts.tokens === undefined ? ONE_CALL : new CallCost(opts.tokens);
  return { calls: 1, tokens: opts.tokens ?? 0, ...opts.cost };
}

/**
 * Waits for the limiter, but never past the call's deadline: with a deadline, the wait runs under a
 * signal that aborts at the deadline (rejecting with `DEADLINE`) or when the caller aborts. A pause
 * longer than `maxPauseMs` (the policy's `retry.maxRetryAfterMs`) is not waited out: the limiter
 * rejects at once.
 */
export function admit(
  limiter: Limiter,
  clock: Clock,
  opts: RunOptions,
  deadline: number,
  maxPauseMs: number,
): Promise<Reservation> {
  const { signal, priority } = opts;
  if (deadline === Number.POSITIVE_INFINITY)
    return limiter.acquire(costOf(opts), { signal, priority, maxPauseMs });
  return admitBefore(limiter, clock, opts, deadline, maxPauseMs);
}

async function admitBefore(
  limiter: Limiter,
  clock: Clock,
  opts: RunOptions,
  deadline: number,
  maxPauseMs: number,
) {
  const { signal, priority } = opts;
  const left = deadline - clock.now();
  if (left <= 0) throw DEADLINE;
  const bounded = new AbortController();
  const onAbort = () => bounded.abort(abortReason(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = clock.setTimeout(() => bounded.abort(DEADLINE), left);
  try {
    return await limiter.acquire(costOf(opts), { signal: bounded.signal, priority, deadline, maxPauseMs });
  } catch (err) {
    throw bounded.signal.reason === DEADLINE ? DEADLINE : err;
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A `Limiter` of your own, checked where it can only be checked, on use: `acquire` must return a
 * promise of a reservation with `commit()` and `refund()`. Anything else rejects the call with a
 * TypeError saying so (a limiter that throws rejects it with its error).
 */
export function checkedLimiter(limiter: Limiter): Limiter {
  const checked: Limiter = {
    pause: (ms, dimension) => limiter.pause(ms, dimension),
    acquire(cost, options) {
      const pending = limiter.acquire(cost, options);
      if (typeof (pending as { then?: unknown } | null)?.then !== 'function') {
        return Promise.reject(
          new TypeError(
            `steady: limiter.acquire() must return a promise of a reservation, got ${show(pending)}`,
          ),
        );
      }
      return Promise.resolve(pending).then((r) => {
        const ok = typeof r?.commit === 'function' && typeof r.refund === 'function';
        if (ok) return r;
        throw new TypeError(
          `steady: limiter.acquire() must resolve to a reservation with commit() and refund(), got ${show(r)}`,
        );
      });
    },
  };
  if (typeof limiter.tryAcquire === 'function') checked.tryAcquire = (cost) => limiter.tryAcquire!(cost);
  return checked;
}

/** Codes of errors raised before the request left the process: the server saw nothing. */
const NOT_SENT: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/**
 * Settles the reservation of a failed attempt. The server answered with an error status (429,
 * 5xx, 4xx): its tokens come back, the call still counts. It never left the process (connection
 * refused): everything comes back (`cancel`, when the limiter has it). Anything else (a timeout, an
 * abort, a connection dropped mid-answer, also after a 2xx head): the server may have billed it,
 * so the estimate stays.
 */
export function settleFailed(reservation: Reservation, error: unknown): void {
  const { status, code } = error instanceof AttemptTimeout ? {} : statusAndCode(error);
  if (status !== undefined && (status < 200 || status >= 300)) reservation.refund();
  else if (reservation.cancel && code !== undefined && NOT_SENT.has(code)) reservation.cancel();
  else reservation.commit();
}
