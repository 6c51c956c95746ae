import type { QueuedLimiter } from '../limit/limiter.js';
import type { LimiterReservation } from '../limit/options.js';
import type { Cost } from '../limit/types.js';
import type { Queued } from '../limit/waiter.js';
import type { AttemptContext, RunOptions } from './options.js';
import type { Resolved } from './resolve.js';

/** Why the limiter refused a queued call (abort, never fits, a store error). */
export class Refusal {
  constructor(readonly error: unknown) {}
}

/**
 * A `policy.run` waiting in steady's own limiter. It is its own queue entry (no separate waiter, no
 * closure) and keeps only what starting the call needs; the loop builds the call itself once the
 * limiter has answered. About 377 bytes a queued call with its promises (`npm run bench -- memory`).
 *
 * The answer comes through `answered()`, a promise the loop chains its continuation on when it
 * queues the call: that continuation then runs in the caller's async context (an AsyncLocalStorage
 * set around `policy.run` sees the attempt and its events), not in the limiter's.
 */
export class QueuedCall implements Queued {
  since = 0;
  blocksBefore = 0;
  /** What the limiter answered: the reservation, or why it refused. */
  outcome: LimiterReservation | Refusal | undefined;
  #resolve: ((q: QueuedCall) => void) | undefined;

  constructor(
    readonly p: Resolved,
    readonly opts: RunOptions,
    readonly fn: (ctx: AttemptContext) => unknown,
    /** The call's start and its breaker probe, taken before it was queued. */
    readonly start: number,
    readonly probe: boolean,
    readonly cost: Cost,
  ) {}

  get priority(): number {
    const { priority } = this.opts;
    return priority === undefined ? 0 : priority;
  }

  /** Only calls without a deadline are queued this way. */
  get deadline(): undefined {
    return undefined;
  }

  /** A pause longer than the policy's longest hint is not waited out. */
  get maxPauseMs(): number {
    return this.p.maxRetryAfterMs;
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  get waiting(): boolean {
    return this.#resolve !== undefined;
  }

  /** Resolves with this call once the limiter admitted or refused it. Call before queueing it. */
  answered(): Promise<QueuedCall> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  admit(r: LimiterReservation): void {
    this.#answer(r);
  }

  fail(err: unknown): void {
    this.#answer(new Refusal(err));
  }

  handleEvent(): void {
    (this.p.limiter as QueuedLimiter).abortWaiter(this);
  }

  #answer(outcome: LimiterReservation | Refusal): void {
    const resolve = this.#resolve;
    if (!resolve) return;
    this.#resolve = undefined;
    this.outcome = outcome;
    resolve(this);
  }
}
