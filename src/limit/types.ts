/**
 * The limiter's contract with the policy loop. The loop asks for a reservation before every
 * attempt (retries included) and settles it after.
 */

/** An amount on each named dimension, e.g. `{ calls: 1, tokens: 1_200 }`. */
export type Cost = Readonly<Record<string, number>>;

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Lower numbers go first; FIFO within one priority. @default 0 */
  priority?: number;
  /** Clock time after which waiting is pointless; the limiter may reject early. */
  deadline?: number;
  /**
   * The longest this call waits out a pause (a server's hint, see `Limiter.pause`). While the
   * limiter is paused for longer, it rejects at once with `RetriesExhaustedError` instead of holding
   * the call. A policy passes its `retry.maxRetryAfterMs`. @default Infinity
   */
  maxPauseMs?: number;
}

export interface Reservation {
  /**
   * Settle with what the server reports was used. Dimensions left out keep their estimate.
   * The difference is refunded or charged.
   */
  commit(actual?: Partial<Record<string, number>>): void;
  /** The attempt was not billed: give back what the server did not count. */
  refund(): void;
  /** The attempt never left the process (e.g. connection refused): give back everything, calls too. */
  cancel?(): void;
  /** Set when the call had to wait: how long, and the dimension that held it longest (or `pause`). */
  readonly throttle?: { dimension: string; waitedMs: number } | undefined;
}

/** `tryAcquire`'s answer: a reservation now, or how long until one may be had. */
export type TryAcquireResult<R extends Reservation = Reservation> =
  | { readonly ok: true; readonly reservation: R }
  | {
      readonly ok: false;
      /** Try again after this long (the store's estimate; capacity may come back sooner). */
      readonly retryInMs: number;
      /** What holds it: a limited dimension, `pause` (after a 429) or `queue` (callers already wait). */
      readonly dimension: string;
    };

export interface Limiter {
  acquire(cost: Cost, options?: AcquireOptions): Promise<Reservation>;
  /**
   * Without waiting: a reservation for `cost` now, or how long until one. Never queues and never
   * overtakes callers queued in `acquire`. Optional for limiters of your own; `steady/bullmq` needs it.
   */
  tryAcquire?(cost: Cost): Promise<TryAcquireResult>;
  /** A 429 arrived anyway: hold every queued call for `ms` (on `dimension`, when known). */
  pause(ms: number, dimension?: string): void;
}

/** One limit: at most `limit` units in any `windowMs`. */
export interface LimitSpec {
  limit: number;
  windowMs: number;
}

/** Named limits, e.g. `{ calls: { limit: 40, windowMs: 60_000 }, tokens: { limit: 100_000, windowMs: 60_000 } }`. */
export type Limits = Readonly<Record<string, LimitSpec>>;
