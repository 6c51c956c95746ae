import type { Clock } from '../clock.js';
import type { LimiterStore } from './store.js';
import type { AcquireOptions, Cost, Limiter, Limits, Reservation, TryAcquireResult } from './types.js';

/** Who waited, how long, and on which dimension (the one that held the call longest, or `pause`). */
export interface ThrottleInfo {
  dimension: string;
  waitedMs: number;
}

/** How spent capacity comes back. */
export type LimiterAlgorithm = 'rolling' | 'bucket';

/**
 * How a limiter queues and keeps its ledger: `createLimiter`'s options besides `limits` and
 * `clock`, and the policy's `limiter` option (the policy passes its own `limits` and `clock`).
 */
export interface LimiterOptions {
  /**
   * `rolling`: a ledger whose spent units come back exactly one window (plus the safety margin)
   * after they were spent, so no rolling window ever holds more than the limit. `bucket`: capacity
   * `limit`, refilled continuously at `limit` per `windowMs`, for servers that count that way (against
   * a rolling-window server it lets up to twice the limit through in one window).
   * Only with the default store; a custom store decides for itself.
   * @default 'rolling'
   */
  algorithm?: LimiterAlgorithm;
  /** Where the ledger lives. @default a new `MemoryStore` with `limits`, `algorithm` and `safetyMarginMs` */
  store?: LimiterStore;
  /** Most calls allowed to wait at once; one more rejects at once with `QueueFullError`. @default Infinity */
  maxQueued?: number;
  /**
   * Extra time before spent units come back (rolling) or added to the refill period (bucket), to absorb
   * the spread of send-to-arrival latency. Only with the default store.
   * @default per dimension, 1 % of its `windowMs`, at most 500 ms (500 ms for one minute)
   */
  safetyMarginMs?: number;
  /** Called once for every admitted call that had to wait. A listener that throws is ignored. */
  onThrottle?: (info: ThrottleInfo) => void;
}

/** `createLimiter`'s options. */
export interface CreateLimiterOptions extends LimiterOptions {
  /** At most `limit` units per `windowMs` on each named dimension, e.g. `{ calls: { limit: 40, windowMs: 60_000 } }`. */
  limits: Limits;
  /** @default systemClock */
  clock?: Clock;
}

/** What `acquire` resolves to: a `Reservation` with two extras. */
export interface LimiterReservation extends Reservation {
  /** How long this call waited and why; `undefined` when it was admitted at once. */
  readonly throttle: ThrottleInfo | undefined;
  /**
   * The attempt never reached the server (e.g. the connection was refused): give back every
   * dimension, `calls` included. `refund()` keeps the call counted, since a 429 or 5xx was a call.
   */
  cancel(): void;
}

/** The limiter `createLimiter` returns. */
export interface SteadyLimiter extends Limiter {
  /**
   * Waits for room for `cost` on every limited dimension, then reserves it. Rejects at once with
   * `CostExceedsLimitError` (more than a whole window), `QueueFullError` (`maxQueued` waiting), the
   * signal's reason (aborted, queued or not), or `DeadlineExceededError` (cannot be admitted by `deadline`).
   */
  acquire(cost: Cost, options?: AcquireOptions): Promise<LimiterReservation>;
  /**
   * Without waiting: reserves `cost` if every dimension has room now (`{ ok: true, reservation }`),
   * else answers how long until it might (`{ ok: false, retryInMs, dimension }`). It never queues,
   * and while callers wait in `acquire` it answers `dimension: 'queue'` (no overtaking) with the time
   * the head of the queue is due. Rejects with `CostExceedsLimitError` for a cost that can never fit.
   */
  tryAcquire(cost: Cost): Promise<TryAcquireResult<LimiterReservation>>;
  /**
   * A 429 arrived anyway: no call is admitted for `ms`. An `ms` that is not a positive finite number
   * means the server gave no hint: the pause is then 1/60 of the window of `dimension` (or of the
   * longest window), 1 s for one-minute limits. Pauses never shorten one another.
   */
  pause(ms: number, dimension?: string): void;
  /** Calls waiting now. */
  readonly queued: number;
  readonly store: LimiterStore;
  /** The limits it keeps (`steady/bullmq` spaces deferred jobs by them). */
  readonly limits: Limits;
}

/** The default safety margin for one window: 1 % of it, at most 500 ms. */
export function defaultSafetyMarginMs(windowMs: number): number {
  return Math.min(windowMs * 0.01, 500);
}

/**
 * The pause after a 429 that came without a usable hint: 1/60 of the window of the named dimension,
 * or of the longest window when none is named (1 s for one-minute windows).
 */
export function defaultPauseMs(limits: Limits, dimension?: string): number {
  const spec = dimension === undefined ? undefined : limits[dimension];
  const windowMs = spec ? spec.windowMs : Math.max(...Object.values(limits).map((l) => l.windowMs));
  return windowMs / 60;
}
