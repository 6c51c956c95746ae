import { abortReason, type Clock } from '../clock.js';
import { CallCost } from './call-cost.js';
import { checkAcquire } from './check-acquire.js';
import { HeadQueue, type HeadQueueOwner } from './head-queue.js';
import { Headroom } from './headroom.js';
import { MemoryStore } from './memory-store.js';
import { defaultPauseMs, type LimiterReservation, type SteadyLimiter, type ThrottleInfo } from './options.js';
import { neverFits, queueFull } from './refusals.js';
import { isThenable, type LimiterStore, type MaybePromise } from './store.js';
import { NONE, Ticket } from './ticket.js';
import type { AcquireOptions, Cost, Limits, TryAcquireResult } from './types.js';
import { type Queued, Waiter, type WaiterOwner } from './waiter.js';

let instances = 0;

const NO_OPTIONS: AcquireOptions = Object.freeze({});

/**
 * The limiter in front of a store: checks each call, admits it at once when nobody waits and the
 * default store has room (no promise), else queues it (`HeadQueue`); settles what it admitted.
 */
export class QueuedLimiter implements SteadyLimiter, HeadQueueOwner, WaiterOwner {
  readonly #queue: HeadQueue;
  /** The store answers several reservations in one round trip (see `LimiterStore.batch`). */
  readonly #batches: boolean;
  /** The store when it is the default one (synchronous, in this process): the fast path uses it directly. */
  readonly #memory: MemoryStore | undefined;
  /** A frozen cost `acquireNow` found valid. */
  #checked: Cost | undefined;
  /**
   * The most tokens a `CallCost` may ask for. Its one call always fits a `calls` limit (a whole
   * number ≥ 1); were it not to, the store would refuse it and the queue's check name it.
   */
  readonly #callTokensMax: number;
  readonly #headroom: Headroom;
  readonly #prefix = `${(++instances).toString(36)}:`;
  #seq = 0;

  constructor(
    readonly store: LimiterStore,
    readonly limits: Limits,
    private readonly clock: Clock,
    private readonly maxQueued: number,
    onThrottle: ((info: ThrottleInfo) => void) | undefined,
  ) {
    this.#headroom = new Headroom(limits);
    this.#callTokensMax = limits.tokens?.limit ?? Number.MAX_VALUE;
    this.#memory =
      Object.getPrototypeOf(store) === MemoryStore.prototype ? (store as MemoryStore) : undefined;
    this.#queue = new HeadQueue(this, store, clock, this.#headroom, onThrottle);
    this.#batches = (store.batch ?? 1) > 1;
  }

  get queued(): number {
    return this.#queue.size;
  }

  acquire(cost: Cost, options: AcquireOptions = NO_OPTIONS): Promise<LimiterReservation> {
    const { signal, priority = 0, deadline, maxPauseMs } = options;
    const bad = this.#refusal(cost, signal, priority, deadline);
    if (bad) return Promise.reject(bad);
    // The fast path's ticket says what the ledger holds through its cost: never a caller's object,
    // which may change after this returns.
    const now = this.#now(Object.isFrozen(cost) || cost instanceof CallCost ? cost : this.#copy(cost));
    if (now) return Promise.resolve(now);
    return new Promise((resolve) =>
      this.#queue.wait(new Waiter(this, cost, priority, deadline, maxPauseMs, signal, resolve)),
    );
  }

  /**
   * The reservation at once, without a promise, when nobody waits and the default store has room
   * now; else undefined and nothing changed (then `acquire` or `enqueue`). Bad arguments: undefined.
   */
  acquireNow(cost: Cost, priority = 0): LimiterReservation | undefined {
    // The first frozen cost seen (the policy's one-call cost) is checked once: it cannot change.
    // The loop's `CallCost` has one call and its tokens: those alone are checked (NaN fails `>=`).
    const plain =
      priority === 0 &&
      (cost === this.#checked ||
        (cost instanceof CallCost &&
          typeof cost.tokens === 'number' &&
          cost.tokens >= 0 &&
          cost.tokens <= this.#callTokensMax));
    if (!plain) {
      if (checkAcquire(this.limits, cost, priority, undefined)) return undefined;
      if (this.#checked === undefined && Object.isFrozen(cost)) this.#checked = cost;
    }
    return this.#now(cost);
  }

  /** `acquire` for an item that settles itself (steady's loop): it is refused at once or queued. */
  enqueue(item: Queued): void {
    const bad = this.#refusal(item.cost, item.signal, item.priority, item.deadline);
    if (bad) item.fail(bad);
    else this.#queue.wait(item);
  }

  /** Why a call is refused before it is queued (aborted, bad arguments, the queue full), or undefined. */
  #refusal(cost: Cost, signal: AbortSignal | undefined, priority: number, deadline: number | undefined) {
    if (signal?.aborted) return abortReason(signal);
    const bad = checkAcquire(this.limits, cost, priority, deadline);
    if (bad) return bad;
    if (this.#queue.size >= this.maxQueued) return queueFull(this.maxQueued);
    return undefined;
  }

  /**
   * The fast path: with nobody queued and the default store (synchronous, and a refusal there
   * changes nothing), asks it at once and returns the ticket it grants. Undefined otherwise.
   */
  #now(cost: Cost): Ticket | undefined {
    const memory = this.#memory;
    if (!memory || this.#queue.busy) return undefined;
    const hold = this.#headroom.hold(cost);
    const now = this.clock.now();
    const held = memory.reserveHeld(cost, now, hold);
    return held === undefined ? undefined : new Ticket(this, undefined, cost, undefined, held, hold, now);
  }

  /** The public `tryAcquire` (see `SteadyLimiter`): a reservation now, or how long until one; never queued. */
  async tryAcquire(cost: Cost): Promise<TryAcquireResult<LimiterReservation>> {
    const bad = checkAcquire(this.limits, cost, 0, undefined);
    if (bad) throw bad;
    if (this.#queue.size > 0) {
      // Callers wait in acquire(): never overtake them. Due when the head is (soon, when unknown).
      return {
        ok: false,
        retryInMs: Math.max(this.#queue.blockedUntil - this.clock.now(), 1),
        dimension: 'queue',
      };
    }
    const id = this.nextId();
    const r = await this.store.tryReserve(id, cost, this.clock.now(), this.#headroom.hold(cost));
    if (r.ok) return { ok: true, reservation: new Ticket(this, id, cost, undefined) };
    if (!Number.isFinite(r.retryInMs)) throw neverFits(r.dimension);
    return { ok: false, retryInMs: r.retryInMs, dimension: r.dimension };
  }

  pause(ms: number, dimension?: string): void {
    const durationMs = Number.isFinite(ms) && ms > 0 ? ms : defaultPauseMs(this.limits, dimension);
    let r: MaybePromise<void> | undefined;
    try {
      r = this.store.pause(durationMs, this.clock.now());
    } catch {} // store errors are dropped
    this.#after(r);
  }

  commit(t: Ticket, actual: Partial<Record<string, number>>): void {
    // The ledger holds the estimate and nothing was reported: it stands, nothing moves, nothing to learn.
    if (actual === NONE && t.hold === t.cost) this.#memory!.keepHeld();
    else this.settle(t, this.#headroom.settle(t.cost, actual));
  }

  settle(t: Ticket, actual: Partial<Record<string, number>>): void {
    let r: MaybePromise<void> | undefined;
    try {
      const memory = this.#memory;
      if (t.id !== undefined) r = this.store.settle(t.id, actual, this.clock.now());
      else
        memory!.settleHeld(
          t.held,
          t.cost,
          t.hold,
          actual,
          memory!.settleNeedsNow ? this.clock.now() : undefined,
        );
    } catch {}
    this.#after(r);
  }

  release(t: Ticket): void {
    const now = this.clock.now();
    let r: MaybePromise<void> | undefined;
    try {
      if (t.id === undefined) this.#memory!.releaseHeld(t.held, t.cost, t.hold, now);
      else r = this.store.release(t.id, now);
    } catch {}
    this.#after(r);
  }

  abortWaiter(w: Queued): void {
    if (w.waiting) this.#queue.abort(w, abortReason(w.signal!));
  }

  /** After a store write, lets the head try again (capacity may have changed). */
  #after(r: MaybePromise<void> | undefined): void {
    // A store that batches runs the head's next reserve after this write, in the same round trip.
    if (isThenable(r) && !this.#batches) r.then(this.#queue.kick, this.#queue.kick);
    else this.#queue.kick();
  }

  /** Capacity may have been freed outside this limiter (a shared store says so): the head tries again. */
  wake(): void {
    this.#queue.kick();
  }

  /** The limited dimensions of `cost`, in an object of the limiter's own. */
  #copy(cost: Cost): Cost {
    const own: Record<string, number> = {};
    for (const d in this.limits) {
      const v = cost[d];
      if (v !== undefined) own[d] = v;
    }
    return own;
  }

  /** A new reservation id, unique to this limiter. */
  nextId(): string {
    return this.#prefix + (++this.#seq).toString(36);
  }
}
