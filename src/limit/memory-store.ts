import { checkShape } from '../validate.js';
import { BucketLedger } from './bucket-ledger.js';
import { ChargeLog } from './charge-log.js';
import { MEMORY_STORE_SHAPE } from './check-options.js';
import { CostAmounts } from './cost-amounts.js';
import { KeptFree } from './kept-free.js';
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
 * It holds one record per admission time still inside some window (rolling), plus one per
 * reservation not yet settled; nothing else.
 */
export class MemoryStore implements LimiterStore {
  /** The limited dimensions, in a fixed order. */
  readonly dims: readonly string[];
  readonly #ledger: Ledger;
  readonly #caps: readonly number[];
  readonly #spans: readonly number[];
  /** What `observe` charged, while in its window (rolling ledger only). */
  #charged: ChargeLog | undefined;
  /** Units kept free per dimension (see `observe`). */
  readonly #free: KeptFree;
  /** Each unsettled reservation's handle in the ledger, and the amounts it holds there. */
  readonly #pending = new Map<string, { held: unknown; from: number[] }>();
  /** Reservations made by handle (`reserveHeld`) and not yet settled. */
  #direct = 0;
  /** Scratch arrays indexed like `dims`, rewritten by every call (the ledger copies what it keeps). */
  readonly #held: number[];
  readonly #next: (number | undefined)[];
  /** Each cost's amounts. */
  readonly #costs: CostAmounts;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #now = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryStoreOptions) {
    checkShape(options, '', MEMORY_STORE_SHAPE, 'MemoryStore');
    const { limits } = options;
    this.dims = Object.keys(limits);
    const caps = this.dims.map((d) => limits[d]!.limit);
    this.#caps = caps;
    this.#free = new KeptFree(caps);
    const spans = this.dims.map((d) => {
      const { windowMs } = limits[d]!;
      return windowMs + (options.safetyMarginMs ?? defaultSafetyMarginMs(windowMs));
    });
    this.#spans = spans;
    this.#costs = new CostAmounts(this.dims);
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
    const amounts = this.#costs.of(cost);
    const blocked = this.#ledger.blocked(this.#free.check(amounts, now), now);
    const pausedMs = this.#pausedUntil - now;
    if (blocked || pausedMs > 0) {
      if (!blocked || pausedMs >= blocked.waitMs) return { ok: false, retryInMs: pausedMs, dimension: PAUSE };
      return { ok: false, retryInMs: blocked.waitMs, dimension: this.dims[blocked.dim]! };
    }
    const from = this.#heldOf(amounts, cost, hold);
    this.#pending.set(id, { held: this.#ledger.add(from, now), from: [...from] });
    return OK;
  }

  /**
   * `tryReserve` for the limiter's fast path, without an id: the ledger's handle for the
   * reservation, or undefined when it does not fit now. Settle it with `settleHeld`, `keepHeld` or
   * `releaseHeld`, given the same `cost` and `hold`, unchanged: they say what the reservation holds.
   */
  reserveHeld(cost: Cost, now: number, hold?: Cost): unknown {
    now = this.#at(now);
    if (this.#pausedUntil > now) return undefined;
    const amounts = this.#costs.of(cost);
    const held = this.#ledger.take(this.#free.check(amounts, now), this.#heldOf(amounts, cost, hold), now);
    if (held !== undefined) this.#direct++;
    return held;
  }

  settle(id: string, actual: Partial<Record<string, number>>, now: number): void {
    const r = this.#pending.get(id);
    if (r === undefined) return;
    this.#pending.delete(id);
    this.#adjust(r.held, r.from, actual, now);
  }

  /** Whether `settleHeld` needs the current time; without it, the last time seen is used. */
  get settleNeedsNow(): boolean {
    return this.#ledger.adjustNeedsNow;
  }

  settleHeld(
    held: unknown,
    cost: Cost,
    hold: Cost | undefined,
    actual: Partial<Record<string, number>>,
    now?: number,
  ): void {
    this.#direct--;
    this.#adjust(held, this.#holding(cost, hold), actual, now ?? this.#now);
  }

  /** Settles a fast-path reservation with what it holds already (nothing reported, no headroom added). */
  keepHeld(): void {
    this.#direct--;
  }

  release(id: string, now: number): void {
    const r = this.#pending.get(id);
    if (r === undefined) return;
    this.#pending.delete(id);
    this.#ledger.remove(r.held, r.from, this.#at(now));
  }

  releaseHeld(held: unknown, cost: Cost, hold: Cost | undefined, now: number): void {
    this.#direct--;
    this.#ledger.remove(held, this.#holding(cost, hold), this.#at(now));
  }

  /** What a fast-path reservation of `cost`, held as `hold`, holds in the ledger. */
  #holding(cost: Cost, hold: Cost | undefined): number[] {
    return this.#heldOf(this.#costs.of(cost), cost, hold);
  }

  /** What to hold in the ledger: `amounts`, or `hold` where it is larger. */
  #heldOf(amounts: number[], cost: Cost, hold: Cost | undefined): number[] {
    if (!hold || hold === cost) return amounts;
    const { dims } = this;
    const held = this.#held;
    for (let i = 0; i < dims.length; i++) held[i] = Math.max(amounts[i]!, hold[dims[i]!] ?? 0);
    return held;
  }

  #adjust(held: unknown, from: number[], actual: Partial<Record<string, number>>, now: number): void {
    const { dims } = this;
    const next = this.#next;
    for (let i = 0; i < dims.length; i++) {
      const v = actual[dims[i]!];
      next[i] = typeof v === 'number' && v >= 0 && Number.isFinite(v) ? v : undefined;
    }
    this.#ledger.adjust(held, from, next, this.#at(now));
  }

  /**
   * See `LimiterStore.observe`: the difference is one entry on `dimension` alone, admitted now.
   * `reserve` units of the dimension are kept free from then on, growing by `reservePerMs` a ms
   * until the next `observe` (at most half the limit; 0 frees them): room for another client's next
   * calls, which the ledger cannot see coming. With `asOf` (when the server took its count: the
   * attempt's start), this store's own admissions after it are left out of the comparison: the
   * server could not count them yet, and counting them would hide as many of another client's calls;
   * the reserve's growth then counts from `asOf` (what another client spent since is unseen too).
   */
  observe(
    dimension: string,
    used: number,
    now: number,
    reserve = 0,
    reservePerMs = 0,
    asOf?: number,
  ): number {
    const d = this.dims.indexOf(dimension);
    if (d < 0 || !Number.isFinite(used)) return 0;
    now = this.#at(now);
    // The pace grows from the newest count the server gave: its calls since then are unseen.
    const seenAt = asOf !== undefined && asOf < now && this.#ledger.usedAfter ? asOf : now;
    this.#free.set(d, reserve, reservePerMs, Math.max(seenAt, this.#free.since(d) ?? seenAt));
    let counted = this.#ledger.used(d, now);
    if (asOf !== undefined && asOf < now && this.#ledger.usedAfter)
      counted -= Math.max(0, this.#ledger.usedAfter(d, asOf) - (this.#charged?.after(d, asOf, now) ?? 0));
    const extra = Math.min(used, this.#caps[d]!) - counted;
    if (!(extra > EPSILON)) return 0;
    const amounts = this.dims.map((_, i) => (i === d ? extra : 0));
    this.#ledger.add(amounts, now);
    if (this.#ledger.usedAfter) {
      this.#charged ??= new ChargeLog(this.#spans);
      this.#charged.push(now, d, extra);
    }
    return extra;
  }

  /** Whether `observe` honours `asOf`: the rolling ledger keeps each admission's time, the bucket does not. */
  get observesAsOf(): boolean {
    return this.#ledger.usedAfter !== undefined;
  }

  pause(durationMs: number, now: number): void {
    const until = this.#at(now) + durationMs;
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }
}
