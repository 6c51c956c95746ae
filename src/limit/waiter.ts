import type { LimiterReservation } from './options.js';
import type { Cost } from './types.js';

/** Implemented by the limiter: what an abort listener calls. */
export interface WaiterOwner {
  abortWaiter(waiter: Waiter): void;
}

/**
 * One queued call: plain fields and one closure, the promise's `resolve` (a rejection resolves it
 * with a rejected promise, so `reject` is not kept). It is its own abort listener (`handleEvent`), so
 * waiting on a signal allocates no function. About 270 bytes a queued call with its promise.
 */
export class Waiter {
  #resolve: ((r: LimiterReservation | Promise<never>) => void) | undefined;

  constructor(
    readonly owner: WaiterOwner,
    readonly cost: Cost,
    readonly priority: number,
    readonly deadline: number | undefined,
    /** The longest pause it waits out (`AcquireOptions.maxPauseMs`). */
    readonly maxPauseMs: number | undefined,
    readonly signal: AbortSignal | undefined,
    /** Clock time it was enqueued. */
    readonly since: number,
    /** The limiter's count of blocks when it was enqueued: more on admission means a limit held it. */
    readonly blocksBefore: number,
    resolve: (r: LimiterReservation) => void,
  ) {
    this.#resolve = resolve as (r: LimiterReservation | Promise<never>) => void;
  }

  /** False once admitted, rejected or aborted. */
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
