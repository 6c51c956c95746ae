import { abortReason, type Clock } from '../clock.js';
import { checkAcquire } from './check-acquire.js';
import { HeadWatch } from './head-watch.js';
import { Headroom } from './headroom.js';
import { MemoryStore } from './memory-store.js';
import { defaultPauseMs, type LimiterReservation, type SteadyLimiter, type ThrottleInfo } from './options.js';
import { late, neverFits, pausedTooLong, queueFull } from './refusals.js';
import { type LimiterStore, type MaybePromise, PAUSE, type ReserveResult } from './store.js';
import { Ticket, type TicketOwner } from './ticket.js';
import type { AcquireOptions, Cost, Limits, TryAcquireResult } from './types.js';
import { WaitQueue } from './wait-queue.js';
import { type Queued, Waiter, type WaiterOwner } from './waiter.js';
import { WakeTimer } from './wake-timer.js';

let instances = 0;

const NO_OPTIONS: AcquireOptions = Object.freeze({});

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
  readonly #queue = new WaitQueue<Queued>();
  /** The store when it is the default one (synchronous, in this process): the fast path uses it directly. */
  readonly #memory: MemoryStore | undefined;
  /** A frozen cost `acquireNow` found valid. */
  #checked: Cost | undefined;
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
  /** Calls to ask the store for at once (a store that batches: see `LimiterStore.batch`). */
  #ahead = 1;
  readonly #batches: boolean;

  constructor(
    readonly store: LimiterStore,
    readonly limits: Limits,
    private readonly clock: Clock,
    private readonly maxQueued: number,
    private readonly onThrottle: ((info: ThrottleInfo) => void) | undefined,
  ) {
    this.#headroom = new Headroom(limits);
    this.#memory =
      Object.getPrototypeOf(store) === MemoryStore.prototype ? (store as MemoryStore) : undefined;
    this.#timer = new WakeTimer(clock, () => this.#pump());
    this.#batches = (store.batch ?? 1) > 1;
  }

  get queued(): number {
    return this.#queue.size;
  }

  acquire(cost: Cost, options: AcquireOptions = NO_OPTIONS): Promise<LimiterReservation> {
    const { signal, priority = 0, deadline, maxPauseMs } = options;
    const bad = this.#refusal(cost, signal, priority, deadline);
    if (bad) return Promise.reject(bad);
    const now = this.#now(cost);
    if (now) return Promise.resolve(now);
    return new Promise((resolve) =>
      this.#wait(new Waiter(this, cost, priority, deadline, maxPauseMs, signal, resolve)),
    );
  }

  /**
   * The reservation at once, without a promise, when nobody waits and the default store has room
   * now; else undefined and nothing changed (then `acquire` or `enqueue`). Bad arguments: undefined.
   */
  acquireNow(cost: Cost, priority = 0): LimiterReservation | undefined {
    // A frozen cost (the policy's one-call cost) is checked once: it cannot change.
    if (cost !== this.#checked || priority !== 0) {
      if (checkAcquire(this.limits, cost, priority, undefined)) return undefined;
      if (Object.isFrozen(cost)) this.#checked = cost;
    }
    return this.#now(cost);
  }

  /** `acquire` for an item that settles itself (steady's loop): it is refused at once or queued. */
  enqueue(item: Queued): void {
    const bad = this.#refusal(item.cost, item.signal, item.priority, item.deadline);
    if (bad) item.fail(bad);
    else this.#wait(item);
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
    if (!memory || this.#queue.size > 0 || this.#pumping || this.#inFlight) return undefined;
    const held = memory.reserveHeld(cost, this.clock.now(), this.#headroom.hold(cost));
    return held === undefined ? undefined : new Ticket(this, undefined, cost, undefined, held);
  }

  #wait(w: Queued): void {
    const now = this.clock.now();
    w.since = now;
    // Enqueued behind a blocked head: that block already holds it.
    w.blocksBefore = this.#head.blocks - (this.#blockedUntil > Number.NEGATIVE_INFINITY ? 1 : 0);
    const { deadline, signal } = w;
    const isHead = this.#queue.push(w, w.priority);
    if (!isHead && deadline !== undefined && this.#blockedUntil > deadline) {
      this.#fail(w, late(this.#blockedUntil - now));
      return;
    }
    if (isHead || !(this.#timer.pending || this.#inFlight)) this.#pump();
    if (signal && w.waiting) signal.addEventListener('abort', w, { once: true });
  }

  /** The public `tryAcquire` (see `SteadyLimiter`): a reservation now, or how long until one; never queued. */
  async tryAcquire(cost: Cost): Promise<TryAcquireResult<LimiterReservation>> {
    const bad = checkAcquire(this.limits, cost, 0, undefined);
    if (bad) throw bad;
    if (this.#queue.size > 0) {
      // Callers wait in acquire(): never overtake them. Due when the head is (soon, when unknown).
      return { ok: false, retryInMs: Math.max(this.#blockedUntil - this.clock.now(), 1), dimension: 'queue' };
    }
    const id = this.#nextId();
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
    this.settle(t, this.#headroom.settle(t.cost, actual));
  }

  settle(t: Ticket, actual: Partial<Record<string, number>>): void {
    let r: MaybePromise<void> | undefined;
    try {
      const memory = this.#memory;
      if (t.id !== undefined) r = this.store.settle(t.id, actual, this.clock.now());
      else memory!.settleHeld(t.held, actual, memory!.settleNeedsNow ? this.clock.now() : undefined);
    } catch {}
    this.#after(r);
  }

  release(t: Ticket): void {
    const now = this.clock.now();
    let r: MaybePromise<void> | undefined;
    try {
      if (t.id === undefined) this.#memory!.releaseHeld(t.held, now);
      else r = this.store.release(t.id, now);
    } catch {}
    this.#after(r);
  }

  abortWaiter(w: Queued): void {
    if (!w.waiting) return;
    const wasHead = this.#queue.peek() === w;
    this.#fail(w, abortReason(w.signal!));
    if (wasHead) this.#kick();
  }

  /** After a store write, lets the head try again (capacity may have changed). */
  #after(r: MaybePromise<void> | undefined): void {
    // A store that batches runs the head's next reserve after this write, in the same round trip.
    if (isThenable(r) && !this.#batches) r.then(this.#kick, this.#kick);
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
      const id = this.#nextId();
      let r: MaybePromise<ReserveResult>;
      try {
        r = this.store.tryReserve(id, w.cost, this.clock.now(), this.#headroom.hold(w.cost));
      } catch (err) {
        this.#fail(w, err);
        continue;
      }
      if (isThenable(r)) {
        this.#inFlight = true;
        if (this.#ahead > 1) this.#reserveBehind(w, id, r);
        else
          r.then(
            (res) => this.#afterAsync(w, id, res),
            (err) => this.#afterAsync(w, id, undefined, err),
          );
        return;
      }
      if (!this.#apply(w, id, r)) return;
    }
  }

  /**
   * An asynchronous store that batches (`store.batch`): the calls behind the head are asked for in
   * the same round trip, as many as the last batch earned (doubled after one fully admitted, back
   * to the head alone after a refusal).
   */
  #reserveBehind(head: Queued, headId: string, first: Promise<ReserveResult>): void {
    const items = this.#queue.first(this.#ahead);
    const ids = items.map((w) => (w === head ? headId : this.#nextId()));
    const asks = items.map((w, i) => {
      if (w === head) return first;
      try {
        return this.store.tryReserve(ids[i]!, w.cost, this.clock.now(), this.#headroom.hold(w.cost));
      } catch (err) {
        return Promise.reject(err);
      }
    });
    const settled = asks.map((p) =>
      Promise.resolve(p).then(
        (r) => ({ r, err: undefined }),
        (err: unknown) => ({ r: undefined, err }),
      ),
    );
    void Promise.all(settled).then((out) => {
      this.#inFlight = false;
      let next = true;
      let all = true;
      for (let i = 0; i < items.length; i++) {
        const w = items[i]!;
        const { r, err } = out[i]!;
        if (!r) {
          if (w.waiting) this.#fail(w, err);
          continue;
        }
        if (!r.ok) all = false;
        if (r.ok || next) next = this.#apply(w, ids[i]!, r) && next;
      }
      this.#ahead = all ? Math.min(this.#ahead * 2, this.store.batch ?? 1) : 1;
      if (next || this.#again) this.#pump();
    });
  }

  #nextId(): string {
    return this.#prefix + (++this.#seq).toString(36);
  }

  #afterAsync(w: Queued, id: string, r: ReserveResult | undefined, err?: unknown): void {
    this.#inFlight = false;
    let next = true;
    if (r) {
      next = this.#apply(w, id, r);
      if (r.ok && this.#batches) this.#ahead = 2;
    } else if (w.waiting) this.#fail(w, err);
    if (next || this.#again) this.#pump();
  }

  /** Acts on the store's answer for `w`; true when the next head may be tried at once. */
  #apply(w: Queued, id: string, r: ReserveResult): boolean {
    const now = this.clock.now();
    if (!w.waiting) {
      // Aborted while an async store call was out: give the capacity straight back.
      if (r.ok) this.release(new Ticket(this, id, w.cost, undefined));
      return true;
    }
    if (r.ok) {
      this.#admit(w, id, now);
      return true;
    }
    if (!Number.isFinite(r.retryInMs)) {
      this.#fail(w, neverFits(r.dimension));
      return true;
    }
    if (r.dimension === PAUSE && w.maxPauseMs !== undefined && r.retryInMs > w.maxPauseMs) {
      this.#fail(w, pausedTooLong(r.retryInMs, w.maxPauseMs));
      return true;
    }
    const at = now + r.retryInMs;
    if (w.deadline !== undefined && at > w.deadline) {
      this.#fail(w, late(r.retryInMs));
      return true;
    }
    if (this.#queue.peek() !== w) return true; // a higher priority arrived while the store answered
    this.#head.blocked(w, r.dimension, now);
    this.#waking = true;
    this.#blockedUntil = at;
    this.#timer.set(r.retryInMs);
    return false;
  }

  #admit(w: Queued, id: string, now: number): void {
    const waitedMs = now - w.since;
    const dimension = waitedMs > 0 ? this.#head.admitted(w, now) : undefined;
    const info = dimension === undefined ? undefined : { dimension, waitedMs };
    w.admit(new Ticket(this, id, w.cost, info));
    this.#remove(w);
    this.#blockedUntil = Number.NEGATIVE_INFINITY;
    if (!info) return;
    if (this.onThrottle) safely(() => this.onThrottle!(info));
  }

  #fail(w: Queued, err: unknown): void {
    w.fail(err);
    this.#remove(w);
  }

  #remove(w: Queued): void {
    this.#queue.delete(w, w.priority);
    w.signal?.removeEventListener('abort', w);
    this.#head.forget(w);
  }
}
