import type { LimiterReservation } from './options.js';
import type { Cost } from './types.js';

/** Implemented by the limiter: what an abort listener calls. */
export interface WaiterOwner {
  abortWaiter(waiter: Queued): void;
}

/**
 * What waits in the limiter's queue: a `Waiter` (for `acquire`), or steady's loop's own queued call,
 * which implements this itself so that a queued `policy.run` holds one object, not two. The limiter
 * sets `since` and `blocksBefore` when it enqueues the item, and calls `admit` or `fail` once.
 */
export interface Queued {
  readonly cost: Cost;
  readonly priority: number;
  readonly deadline: number | undefined;
  /** The longest pause it waits out (`AcquireOptions.maxPauseMs`). */
  readonly maxPauseMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  /** Clock time it was enqueued. */
  since: number;
  /** The limiter's count of blocks when it was enqueued: more on admission means a limit held it. */
  blocksBefore: number;
  /** False once admitted, rejected or aborted. */
  readonly waiting: boolean;
  admit(r: LimiterReservation): void;
  fail(err: unknown): void;
  /** The abort listener: calls the limiter's `abortWaiter`. */
  handleEvent(): void;
}

/**
 * One queued `acquire`: plain fields and one closure, the promise's `resolve` (a rejection resolves
 * it with a rejected promise, so `reject` is not kept). It is its own abort listener (`handleEvent`),
 * so waiting on a signal allocates no function.
 */
export class Waiter implements Queued {
  #resolve: ((r: LimiterReservation | Promise<never>) => void) | undefined;
  since = 0;
  blocksBefore = 0;

  constructor(
    readonly owner: WaiterOwner,
    readonly cost: Cost,
    readonly priority: number,
    readonly deadline: number | undefined,
    /** The longest pause it waits out (`AcquireOptions.maxPauseMs`). */
    readonly maxPauseMs: number | undefined,
    readonly signal: AbortSignal | undefined,
    resolve: (r: LimiterReservation) => void,
  ) {
    this.#resolve = resolve as (r: LimiterReservation | Promise<never>) => void;
  }

  get waiting(): boolean {
    return this.#resolve !== undefined;
  }

  /** Settles the caller's promise (once; later calls do nothing). */
  admit(r: LimiterReservation): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.(r);
  }

  fail(err: unknown): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.(Promise.reject(err));
  }

  handleEvent(): void {
    this.owner.abortWaiter(this);
  }
}
