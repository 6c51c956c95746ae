import { MemoryStore } from '../../limit/memory-store.js';
import type { ReserveResult } from '../../limit/store.js';
import type { Cost, Limits } from '../../limit/types.js';

interface Made {
  /** The limiter's clock when it was admitted. */
  readonly at: number;
  /** Held per dimension (the estimate, or the in-flight hold where larger); the usage once settled. */
  readonly amounts: number[];
  /** Unsettled: the reservation id, which Redis takes over on hand-back. */
  pending: boolean;
}

/**
 * The ledger of `onError: 'local'`: while Redis cannot be reached, an in-process `MemoryStore` at
 * this process's share of every limit — the limit ÷ the live processes Redis counted last (every
 * process that reserved on the key within its longest window), starting from what this process
 * took in Redis within the window (as much of it as the share holds). It remembers what it admitted, and
 * the first batch that reaches Redis again carries those admissions (`handBack`), so the key's
 * windows count them: going back to Redis admits nothing the outage already used.
 */
export class LocalLedger {
  #store: MemoryStore | undefined;
  #share = 0;
  /** Admissions of the outage still inside the longest window, oldest first, by reservation id. */
  readonly #made = new Map<string, Made>();
  /** This process's admissions in Redis within the longest window, oldest first: the local ledger starts from them. */
  readonly #recent = new Map<string, Made>();

  constructor(
    private readonly dims: readonly string[],
    private readonly limits: Limits,
    private readonly safetyMarginMs: number | undefined,
    private readonly maxSpanMs: number,
  ) {}

  /** Redis admitted `rid` for this process at `now` (the limiter's clock). */
  noteAdmitted(rid: string, cost: Cost, hold: Cost | undefined, now: number): void {
    for (const [id, m] of this.#recent) {
      if (now - m.at < this.maxSpanMs) break;
      this.#recent.delete(id);
    }
    this.#recent.set(rid, { at: now, amounts: this.#held(cost, hold), pending: true });
  }

  /** Redis settled `rid` (released, when `actual` is undefined). */
  noteSettled(rid: string, actual: Partial<Record<string, number>> | undefined): void {
    const m = this.#recent.get(rid);
    if (!m) return;
    if (actual) this.#apply(m, actual);
    else this.#recent.delete(rid);
  }

  /** True while `rid` is a reservation of this ledger (not yet handed back). */
  has(rid: string): boolean {
    return this.#made.get(rid)?.pending === true;
  }

  /** Reservations of the outage that Redis does not count yet. */
  get size(): number {
    return this.#made.size;
  }

  tryReserve(rid: string, cost: Cost, now: number, hold: Cost | undefined, live: number): ReserveResult {
    const r = this.#ledger(live).tryReserve(rid, cost, now, hold);
    if (r.ok && !this.#made.has(rid)) {
      this.#made.set(rid, { at: now, amounts: this.#held(cost, hold), pending: true });
    }
    return r;
  }

  /** Redis holds `rid` too, unsettled: it settles there, and is not handed back. False if settled here already. */
  adopt(rid: string): boolean {
    if (!this.has(rid)) return false;
    this.#made.delete(rid);
    return true;
  }

  settle(rid: string, actual: Partial<Record<string, number>>, now: number): void {
    this.#store?.settle(rid, actual, now);
    const m = this.#made.get(rid);
    if (!m) return;
    m.pending = false;
    this.#apply(m, actual);
  }

  #held(cost: Cost, hold: Cost | undefined): number[] {
    return this.dims.map((d) => Math.max(cost[d] ?? 0, hold?.[d] ?? 0));
  }

  #apply(m: Made, actual: Partial<Record<string, number>>): void {
    this.dims.forEach((d, i) => {
      const v = actual[d];
      if (typeof v === 'number' && v >= 0 && Number.isFinite(v)) m.amounts[i] = v;
    });
  }

  release(rid: string, now: number): void {
    this.#store?.release(rid, now);
    this.#made.delete(rid);
  }

  pause(durationMs: number, now: number): void {
    this.#store?.pause(durationMs, now);
  }

  /**
   * The `m` operation (lua.ts) for what the outage admitted, as ages at `now`, oldest first; undefined
   * when there is nothing to hand back. Call `handedBack()` once Redis has run it.
   */
  handBack(now: number): string[] | undefined {
    const op = ['m', '0'];
    let k = 0;
    for (const [rid, m] of this.#made) {
      if (now - m.at >= this.maxSpanMs) continue;
      op.push(String(Math.max(0, now - m.at)), m.pending ? rid : '-', ...m.amounts.map(String));
      k++;
    }
    if (k === 0 && this.#made.size === 0) return undefined;
    op[1] = String(k);
    return op;
  }

  /** Redis counts the outage's admissions now: forget them, and the local ledger with them. */
  handedBack(): void {
    for (const [rid, m] of this.#made) this.#recent.set(rid, m);
    this.#made.clear();
    this.#store = undefined;
  }

  /** Rebuilt for a new share only when it holds nothing. */
  #ledger(live: number): MemoryStore {
    const share = 1 / live;
    if (this.#store && (this.#store.size > 0 || share === this.#share)) return this.#store;
    const limits: Record<string, { limit: number; windowMs: number }> = {};
    for (const d of this.dims)
      limits[d] = { limit: this.limits[d]!.limit * share, windowMs: this.limits[d]!.windowMs };
    const store = new MemoryStore({ limits, safetyMarginMs: this.safetyMarginMs });
    // what this process took in Redis within the window counts here too, as far as the share holds it
    let k = 0;
    for (const m of this.#recent.values()) {
      const cost: Record<string, number> = {};
      this.dims.forEach((d, i) => {
        cost[d] = m.amounts[i]!;
      });
      const id = `seed:${++k}`;
      if (store.tryReserve(id, cost, m.at).ok) store.settle(id, cost, m.at);
    }
    this.#store = store;
    this.#share = share;
    return store;
  }
}
