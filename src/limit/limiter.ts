import { abortReason, type Clock } from '../clock.js';
import { CostExceedsLimitError } from '../errors/cost-exceeds-limit-error.js';
import { DeadlineExceededError } from '../errors/deadline-exceeded-error.js';
import { QueueFullError } from '../errors/queue-full-error.js';
import { RetriesExhaustedError } from '../errors/retries-exhausted-error.js';
import { checkAcquire } from './check-acquire.js';
import { HeadWatch } from './head-watch.js';
import { Headroom } from './headroom.js';
import { defaultPauseMs, type LimiterReservation, type SteadyLimiter, type ThrottleInfo } from './options.js';
import { type LimiterStore, type MaybePromise, PAUSE, type ReserveResult } from './store.js';
import { Ticket, type TicketOwner } from './ticket.js';
import type { AcquireOptions, Cost, Limits } from './types.js';
import { WaitQueue } from './wait-queue.js';
import { Waiter, type WaiterOwner } from './waiter.js';
import { WakeTimer } from './wake-timer.js';

let instances = 0;

function isThenable<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown })?.then === 'function';
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener that throws never breaks the call it observes.
  }
}

/**
 * The queue in front of a store. Only the head of the queue may be admitted (no overtaking by
 * smaller calls: a large call is never starved); one timer, set for the head's `retryInMs`, wakes it.
 */
export class QueuedLimiter implements SteadyLimiter, TicketOwner, WaiterOwner {
  readonly #queue = new WaitQueue<Waiter>();
  readonly #head = new HeadWatch();
  readonly #headroom: Headroom;
  readonly #prefix = `${(++instances).toString(36)}:`;
  #seq = 0;
  readonly #timer: WakeTimer;
  /** The head's earliest admission time while it is blocked: nobody behind it goes earlier. */
  #blockedUntil = Number.NEGATIVE_INFINITY;
  /** A store call for the head is out (async store); its answer pumps again. */
  #inFlight = false;
  #pumping = false;
  #again = false;
  /** Some head was refused since the queue was last empty: tell the store when it empties. */
  #waking = false;

  constructor(
    readonly store: LimiterStore,
    private readonly limits: Limits,
    private readonly clock: Clock,
    private readonly maxQueued: number,
    private readonly onThrottle: ((info: ThrottleInfo) => void) | undefined,
  ) {
    this.#headroom = new Headroom(limits);
    this.#timer = new WakeTimer(clock, () => this.#pump());
  }

  get queued(): number {
    return this.#queue.size;
  }

  acquire(cost: Cost, options: AcquireOptions = {}): Promise<LimiterReservation> {
    const { signal, priority = 0, deadline, maxPauseMs } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const bad = checkAcquire(this.limits, cost, priority, deadline);
    if (bad) return Promise.reject(bad);
    if (this.#queue.size >= this.maxQueued) {
      return Promise.reject(
        new QueueFullError(`steady: the limiter queue is full (maxQueued ${this.maxQueued})`),
      );
    }
    let waiter!: Waiter;
    const now = this.clock.now();
    // Enqueued behind a blocked head: that block already holds it.
    const blocks = this.#head.blocks - (this.#blockedUntil > Number.NEGATIVE_INFINITY ? 1 : 0);
    const promise = new Promise<LimiterReservation>((resolve) => {
      waiter = new Waiter(this, cost, priority, deadline, maxPauseMs, signal, now, blocks, resolve);
    });
    const isHead = this.#queue.push(waiter, priority);
    if (!isHead && deadline !== undefined && this.#blockedUntil > deadline) {
      this.#fail(waiter, this.#late(this.#blockedUntil - now));
      return promise;
    }
    if (isHead || !(this.#timer.pending || this.#inFlight)) this.#pump();
    if (signal && waiter.waiting) signal.addEventListener('abort', waiter, { once: true });
    return promise;
  }

  pause(ms: number, dimension?: string): void {
    const durationMs = Number.isFinite(ms) && ms > 0 ? ms : defaultPauseMs(this.limits, dimension);
    this.#call(() => this.store.pause(durationMs, this.clock.now()));
  }

  commit(id: string, cost: Cost, actual: Partial<Record<string, number>>): void {
    this.settle(id, this.#headroom.settle(cost, actual));
  }

  settle(id: string, actual: Partial<Record<string, number>>): void {
    this.#call(() => this.store.settle(id, actual, this.clock.now()));
  }

  release(id: string): void {
    this.#call(() => this.store.release(id, this.clock.now()));
  }

  abortWaiter(w: Waiter): void {
    if (!w.waiting) return;
    const wasHead = this.#queue.peek() === w;
    this.#fail(w, abortReason(w.signal!));
    if (wasHead) this.#kick();
  }

  /** Runs a store write, then lets the head try again (capacity may have changed). Store errors are dropped. */
  #call(op: () => MaybePromise<void>): void {
    let r: MaybePromise<void>;
    try {
      r = op();
    } catch {
      r = undefined;
    }
    if (isThenable(r)) r.then(this.#kick, this.#kick);
    else this.#kick();
  }

  /** Capacity may have been freed outside this limiter (a shared store says so): the head tries again. */
  wake(): void {
    this.#kick();
  }

  readonly #kick = (): void => {
    this.#blockedUntil = Number.NEGATIVE_INFINITY;
    if (this.#queue.size > 0) this.#pump();
    else this.#idle(); // nobody left to wake: leave no timer behind
  };

  /** Nobody waits: no timer, and a store that keeps something open for waking may drop it. */
  #idle(): void {
    this.#timer.clear();
    if (!this.#waking) return;
    this.#waking = false;
    const store = this.store;
    if (store.idle) safely(() => store.idle!());
  }

  #pump(): void {
    if (this.#inFlight || this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        this.#drain();
      } while (this.#again && !this.#inFlight);
    } finally {
      this.#pumping = false;
    }
  }

  /** Admits heads until one is blocked (timer set), the queue is empty, or an async store call is out. */
  #drain(): void {
    for (;;) {
      const w = this.#queue.peek();
      if (!w) {
        this.#idle();
        this.#blockedUntil = Number.NEGATIVE_INFINITY;
        return;
      }
      const id = this.#prefix + (++this.#seq).toString(36);
      let r: MaybePromise<ReserveResult>;
      try {
        r = this.store.tryReserve(id, w.cost, this.clock.now(), this.#headroom.hold(w.cost));
      } catch (err) {
        this.#fail(w, err);
        continue;
      }
      if (isThenable(r)) {
        this.#inFlight = true;
        r.then(
          (res) => this.#afterAsync(w, id, res),
          (err) => this.#afterAsync(w, id, undefined, err),
        );
        return;
      }
      if (!this.#apply(w, id, r)) return;
    }
  }

  #afterAsync(w: Waiter, id: string, r: ReserveResult | undefined, err?: unknown): void {
    this.#inFlight = false;
    let next = true;
    if (r) next = this.#apply(w, id, r);
    else if (w.waiting) this.#fail(w, err);
    if (next || this.#again) this.#pump();
  }

  /** Acts on the store's answer for `w`; true when the next head may be tried at once. */
  #apply(w: Waiter, id: string, r: ReserveResult): boolean {
    const now = this.clock.now();
    if (!w.waiting) {
      // Aborted while an async store call was out: give the capacity straight back.
      if (r.ok) this.release(id);
      return true;
    }
    if (r.ok) {
      this.#admit(w, id, now);
      return true;
    }
    if (!Number.isFinite(r.retryInMs)) {
      this.#fail(
        w,
        new CostExceedsLimitError(`steady: the store says this call can never fit "${r.dimension}"`),
      );
      return true;
    }
    if (r.dimension === PAUSE && w.maxPauseMs !== undefined && r.retryInMs > w.maxPauseMs) {
      this.#fail(w, this.#paused(r.retryInMs, w.maxPauseMs));
      return true;
    }
    const at = now + r.retryInMs;
    if (w.deadline !== undefined && at > w.deadline) {
      this.#fail(w, this.#late(r.retryInMs));
      return true;
    }
    if (this.#queue.peek() !== w) return true; // a higher priority arrived while the store answered
    this.#head.blocked(w, r.dimension, now);
    this.#waking = true;
    this.#blockedUntil = at;
    this.#timer.set(r.retryInMs);
    return false;
  }

  #admit(w: Waiter, id: string, now: number): void {
    const waitedMs = now - w.since;
    const dimension = waitedMs > 0 ? this.#head.admitted(w, now) : undefined;
    const info = dimension === undefined ? undefined : { dimension, waitedMs };
    w.admit(new Ticket(this, id, w.cost, info));
    this.#remove(w);
    this.#blockedUntil = Number.NEGATIVE_INFINITY;
    if (!info) return;
    if (this.onThrottle) safely(() => this.onThrottle!(info));
  }

  #fail(w: Waiter, err: unknown): void {
    w.fail(err);
    this.#remove(w);
  }

  #remove(w: Waiter): void {
    this.#queue.delete(w, w.priority);
    w.signal?.removeEventListener('abort', w);
    this.#head.forget(w);
  }

  #paused(waitMs: number, maxPauseMs: number): RetriesExhaustedError {
    return new RetriesExhaustedError(
      `steady: the limiter is paused after a 429 for ${Math.ceil(waitMs)} ms more, longer than this ` +
        `call waits out a pause (${maxPauseMs} ms; under a policy, retry.maxRetryAfterMs)`,
      { attempts: 0, cause: undefined, stoppedBy: 'maxRetryAfterMs' },
    );
  }

  #late(waitMs: number): DeadlineExceededError {
    return new DeadlineExceededError(
      `steady: the limiter could admit this call in ${Math.ceil(waitMs)} ms at the earliest, after its deadline`,
    );
  }
}
