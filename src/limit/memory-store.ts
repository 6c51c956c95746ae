import { checkShape } from '../validate.js';
import { BucketLedger } from './bucket-ledger.js';
import { MEMORY_STORE_SHAPE } from './check-options.js';
import { EPSILON, type Ledger } from './ledger.js';
import { defaultSafetyMarginMs, type LimiterAlgorithm } from './options.js';
import { RollingLedger } from './rolling-ledger.js';
import { type LimiterStore, PAUSE, type ReserveResult } from './store.js';
import type { Cost, Limits } from './types.js';

export interface MemoryStoreOptions {
  limits: Limits;
  /** @default 'rolling' */
  algorithm?: LimiterAlgorithm;
  /** @default per dimension, 1 % of its `windowMs`, at most 500 ms */
  safetyMarginMs?: number;
}

const OK: ReserveResult = Object.freeze({ ok: true });

/**
 * The embedded ledger, for one process. Each operation is synchronous, so it is atomic. Time only
 * moves forward: a `now` earlier than one seen before counts as the latest seen.
 *
 * It holds one record per admission still inside some window (rolling), plus one per reservation not
 * yet settled; nothing else.
 */
export class MemoryStore implements LimiterStore {
  /** The limited dimensions, in a fixed order. */
  readonly dims: readonly string[];
  readonly #ledger: Ledger;
  readonly #caps: readonly number[];
  /** Each unsettled reservation's handle in the ledger. */
  readonly #pending = new Map<string, unknown>();
  /** Reservations made by handle (`reserveHeld`) and not yet settled. */
  #direct = 0;
  /** Scratch arrays indexed like `dims`, rewritten by every call (the ledger copies what it keeps). */
  readonly #amounts: number[];
  readonly #held: number[];
  readonly #next: (number | undefined)[];
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #now = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryStoreOptions) {
    checkShape(options, '', MEMORY_STORE_SHAPE, 'MemoryStore');
    const { limits } = options;
    this.dims = Object.keys(limits);
    const caps = this.dims.map((d) => limits[d]!.limit);
    this.#caps = caps;
    const spans = this.dims.map((d) => {
      const { windowMs } = limits[d]!;
      return windowMs + (options.safetyMarginMs ?? defaultSafetyMarginMs(windowMs));
    });
    this.#amounts = this.dims.map(() => 0);
    this.#held = this.dims.map(() => 0);
    this.#next = this.dims.map(() => undefined);
    this.#ledger =
      options.algorithm === 'bucket' ? new BucketLedger(caps, spans) : new RollingLedger(caps, spans);
  }

  /** Records held: in-window ledger entries plus unsettled reservations. 0 once everything settled and a window passed. */
  get size(): number {
    return this.#ledger.size + this.pending;
  }

  /** Reservations neither settled nor released. */
  get pending(): number {
    return this.#pending.size + this.#direct;
  }

  #at(now: number): number {
    if (now > this.#now) this.#now = now;
    return this.#now;
  }

  tryReserve(id: string, cost: Cost, now: number, hold?: Cost): ReserveResult {
    now = this.#at(now);
    if (this.#pending.has(id)) return OK;
    const amounts = this.#amountsOf(cost);
    const blocked = this.#ledger.blocked(amounts, now);
    const pausedMs = this.#pausedUntil - now;
    if (blocked || pausedMs > 0) {
      if (!blocked || pausedMs >= blocked.waitMs) return { ok: false, retryInMs: pausedMs, dimension: PAUSE };
      return { ok: false, retryInMs: blocked.waitMs, dimension: this.dims[blocked.dim]! };
    }
    this.#pending.set(id, this.#ledger.add(this.#heldOf(amounts, cost, hold), now));
    return OK;
  }

  /**
   * `tryReserve` for the limiter's fast path, without an id: the ledger's handle for the
   * reservation (settle it with `settleHeld` or `releaseHeld`), or undefined when it does not fit now.
   */
  reserveHeld(cost: Cost, now: number, hold?: Cost): unknown {
    now = this.#at(now);
    const amounts = this.#amountsOf(cost);
    if (this.#pausedUntil > now || this.#ledger.blocked(amounts, now)) return undefined;
    this.#direct++;
    return this.#ledger.add(this.#heldOf(amounts, cost, hold), now);
  }

  settle(id: string, actual: Partial<Record<string, number>>, now: number): void {
    const held = this.#pending.get(id);
    if (held === undefined) return;
    this.#pending.delete(id);
    this.#adjust(held, actual, now);
  }

  /** Whether `settleHeld` needs the current time; without it, the last time seen is used. */
  get settleNeedsNow(): boolean {
    return this.#ledger.adjustNeedsNow;
  }

  settleHeld(held: unknown, actual: Partial<Record<string, number>>, now?: number): void {
    this.#direct--;
    this.#adjust(held, actual, now ?? this.#now);
  }

  /** Settles a fast-path reservation with what it holds already (nothing reported, no headroom added). */
  keepHeld(): void {
    this.#direct--;
  }

  release(id: string, now: number): void {
    const held = this.#pending.get(id);
    if (held === undefined) return;
    this.#pending.delete(id);
    this.#ledger.remove(held, this.#at(now));
  }

  releaseHeld(held: unknown, now: number): void {
    this.#direct--;
    this.#ledger.remove(held, this.#at(now));
  }

  #amountsOf(cost: Cost): number[] {
    const { dims } = this;
    const amounts = this.#amounts;
    for (let i = 0; i < dims.length; i++) amounts[i] = cost[dims[i]!] ?? 0;
    return amounts;
  }

  /** What to hold in the ledger: `amounts`, or `hold` where it is larger. */
  #heldOf(amounts: number[], cost: Cost, hold: Cost | undefined): number[] {
    if (!hold || hold === cost) return amounts;
    const { dims } = this;
    const held = this.#held;
    for (let i = 0; i < dims.length; i++) held[i] = Math.max(amounts[i]!, hold[dims[i]!] ?? 0);
    return held;
  }

  #adjust(held: unknown, actual: Partial<Record<string, number>>, now: number): void {
    const { dims } = this;
    const next = this.#next;
    for (let i = 0; i < dims.length; i++) {
      const v = actual[dims[i]!];
      next[i] = typeof v === 'number' && v >= 0 && Number.isFinite(v) ? v : undefined;
    }
    this.#ledger.adjust(held, next, this.#at(now));
  }

  /** See `LimiterStore.observe`: the difference is one entry on `dimension` alone, admitted now. */
  observe(dimension: string, used: number, now: number): void {
    const d = this.dims.indexOf(dimension);
    if (d < 0 || !Number.isFinite(used)) return;
    now = this.#at(now);
    const extra = Math.min(used, this.#caps[d]!) - this.#ledger.used(d, now);
    if (!(extra > EPSILON)) return;
    const amounts = this.dims.map((_, i) => (i === d ? extra : 0));
    this.#ledger.add(amounts, now);
  }

  pause(durationMs: number, now: number): void {
    const until = this.#at(now) + durationMs;
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }
}
