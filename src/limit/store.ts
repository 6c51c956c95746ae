import type { LimiterAlgorithm } from './options.js';
import type { Cost, Limits } from './types.js';

/** A value, or a promise of it: `MemoryStore` answers at once, a Redis store asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** A store's answer is a promise (an asynchronous store: Redis) rather than the value itself. */
export function isThenable<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown })?.then === 'function';
}

/** What `tryReserve` answers: admitted, or how long until the same cost could be admitted. */
export type ReserveResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Milliseconds until the cost would fit, if nothing else changes. Always > 0. */
      readonly retryInMs: number;
      /** The dimension that holds it longest, or `pause` while the ledger is paused after a 429. */
      readonly dimension: string;
    };

/**
 * Where the ledger lives. Every operation is one atomic step (check and write together), so a
 * shared store (Redis: one Lua script, time from Redis `TIME`) can implement it for many processes.
 * The `now` argument is the caller's clock; a store with its own time source may ignore it.
 *
 * Ids are unique per limiter instance; a store shared between processes must namespace them.
 */
export interface LimiterStore {
  /**
   * Checks `cost` against every limited dimension and reserves on all of them or none. Once admitted,
   * the reservation holds `hold` where it is larger than `cost` (the limiter's allowance for usage
   * running over the estimate while the call is in flight), until settled. Dimensions the store does
   * not limit are ignored. Reserving an id that is already held answers `{ ok: true }` and changes
   * nothing (so a retried request is idempotent).
   */
  tryReserve(id: string, cost: Cost, now: number, hold?: Cost): MaybePromise<ReserveResult>;
  /**
   * The reservation is over: `actual` replaces its estimate on the dimensions it names (others keep
   * the estimate). Charging more than was reserved may leave a window over its limit; nothing new
   * is admitted until it is back under. Unknown or already settled ids are ignored.
   */
  settle(id: string, actual: Partial<Record<string, number>>, now: number): MaybePromise<void>;
  /** The reservation never reached the server: give back all of it. Unknown ids are ignored. */
  release(id: string, now: number): MaybePromise<void>;
  /**
   * Admit nothing for `durationMs` from now (a 429 arrived anyway). A relative duration, so a store
   * with its own clock can apply it. Pauses never shorten one another.
   */
  pause(durationMs: number, now: number): MaybePromise<void>;
  /**
   * The server says `used` units of `dimension` are counted on this key now (from its rate-limit
   * headers): where the ledger counts fewer (another client spends on the same key), it charges the
   * difference at once, coming back one window later. Never lowers what the ledger counts.
   * Unlimited dimensions are ignored. Answers the amount charged (0 when the ledger already counted
   * as much). `reserve` units are then kept free on the dimension, growing by `reservePerMs` a ms
   * until the next `observe` (0 frees them): the room another client's next calls will take before
   * the ledger can see them. `asOf`, when given, is when the server took its count (the attempt's
   * start): the store's own admissions after it are not in `used` (a store may ignore it). Optional:
   * a store without it is not corrected.
   */
  observe?(
    dimension: string,
    used: number,
    now: number,
    reserve?: number,
    reservePerMs?: number,
    asOf?: number,
  ): MaybePromise<number>;
  /** True when `observe` honours `asOf` (the watch then keeps only another client's pace free). */
  readonly observesAsOf?: boolean;
  /**
   * Called once by the limiter that will use the store, before any other operation: the policy's
   * limits and ledger options (so a shared store takes them from the policy instead of being told
   * them twice), and `wake`, to call when capacity may have been freed elsewhere (another process).
   * A store that cannot serve these throws, naming the option. `MemoryStore` takes its limits at
   * construction and has no `bind`.
   */
  bind?(binding: StoreBinding): void;
  /**
   * How many queued calls the limiter may ask to reserve at once, for an asynchronous store that
   * answers them in one round trip: in queue order, and once one is refused none after it is
   * admitted (nobody overtakes the head). Default 1.
   */
  readonly batch?: number;
  /** The limiter has nobody waiting any more: a store may drop what it keeps open to `wake` it. */
  idle?(): void;
}

/** What a limiter tells the store it binds. */
export interface StoreBinding {
  readonly limits: Limits;
  /** As set on the limiter; undefined means the store's default. */
  readonly algorithm: LimiterAlgorithm | undefined;
  readonly safetyMarginMs: number | undefined;
  /** Lets the head of the queue try again now. */
  wake(): void;
}

/** The dimension reported while the ledger is paused. */
export const PAUSE = 'pause';

/** The dimension a `refund()` keeps: a call the server answered (429, 5xx) still counted there. */
export const CALLS = 'calls';
