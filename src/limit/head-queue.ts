import type { Clock } from '../clock.js';
import { askBehind } from './ask-behind.js';
import { HeadWatch } from './head-watch.js';
import type { Headroom } from './headroom.js';
import type { ThrottleInfo } from './options.js';
import { late, neverFits, pausedTooLong } from './refusals.js';
import { isThenable, type LimiterStore, type MaybePromise, PAUSE, type ReserveResult } from './store.js';
import { Ticket, type TicketOwner } from './ticket.js';
import { WaitQueue } from './wait-queue.js';
import type { Queued } from './waiter.js';
import { WakeTimer } from './wake-timer.js';

/** The limiter, as the queue sees it: it settles tickets and names reservations. */
export interface HeadQueueOwner extends TicketOwner {
  nextId(): string;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener that throws never breaks the call it observes.
  }
}

/**
 * The queue of waiting calls and how its head meets the store. Only the head may be admitted (no
 * overtaking by smaller calls: a large call is never starved); one timer, set for the head's
 * `retryInMs`, wakes it. A store that answers with a promise (Redis) has one call out at a time.
 */
export class HeadQueue {
  readonly #queue = new WaitQueue<Queued>();
  readonly #head = new HeadWatch();
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
    private readonly owner: HeadQueueOwner,
    private readonly store: LimiterStore,
    private readonly clock: Clock,
    private readonly headroom: Headroom,
    private readonly onThrottle: ((info: ThrottleInfo) => void) | undefined,
  ) {
    this.#timer = new WakeTimer(clock, () => this.#pump());
    this.#batches = (store.batch ?? 1) > 1;
  }

  get size(): number {
    return this.#queue.size;
  }

  /** Someone waits, or the queue is at work: a new call may not go first. */
  get busy(): boolean {
    return this.#queue.size > 0 || this.#pumping || this.#inFlight;
  }

  /** The head's earliest admission time while it is blocked (−∞ when unknown or not blocked). */
  get blockedUntil(): number {
    return this.#blockedUntil;
  }

  /** Queues `w` (already checked) and lets the head try the store. */
  wait(w: Queued): void {
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

  /** `w`'s signal aborted: it leaves the queue with the signal's reason. */
  abort(w: Queued, reason: unknown): void {
    if (!w.waiting) return;
    const wasHead = this.#queue.peek() === w;
    this.#fail(w, reason);
    if (wasHead) this.kick();
  }

  /** Capacity may have changed: the head tries again. */
  readonly kick = (): void => {
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
      const id = this.owner.nextId();
      let r: MaybePromise<ReserveResult>;
      try {
        r = this.store.tryReserve(id, w.cost, this.clock.now(), this.headroom.hold(w.cost));
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
    const ids = items.map((w) => (w === head ? headId : this.owner.nextId()));
    void askBehind(this.store, this.clock, this.headroom, items, ids, head, first).then((out) => {
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
      if (r.ok) this.owner.release(new Ticket(this.owner, id, w.cost, undefined));
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
    w.admit(new Ticket(this.owner, id, w.cost, info));
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
