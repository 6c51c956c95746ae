/**
 * Units a store keeps free per dimension (see `MemoryStore.observe`): room for another client's next
 * calls, which the ledger cannot see coming. `units` from the last report, growing by `perMs` a ms
 * since `since`, at most half the limit.
 */
export class KeptFree {
  #kept: { units: number; perMs: number; since: number }[] | undefined;
  readonly #probe: number[] = [];

  constructor(private readonly caps: readonly number[]) {}

  /** When dimension `d` started growing, if anything is kept on it. */
  since(d: number): number | undefined {
    return this.#kept?.[d]?.since;
  }

  /** Keeps `units` (growing by `perMs` a ms from `since`) on dimension `d`; 0 and 0 free it. */
  set(d: number, units: number, perMs: number, since: number): void {
    const u = Number.isFinite(units) && units > 0 ? units : 0;
    const g = Number.isFinite(perMs) && perMs > 0 ? perMs : 0;
    if (u === 0 && g === 0 && !this.#kept) return;
    this.#kept ??= this.caps.map(() => ({ units: 0, perMs: 0, since: 0 }));
    this.#kept[d] = { units: u, perMs: g, since };
    if (this.#kept.every((x) => x.units === 0 && x.perMs === 0)) this.#kept = undefined;
  }

  /**
   * What to check for `amounts` at `now`: `amounts` itself while nothing is kept, else `amounts`
   * plus what is kept on each dimension it charges, as much of it as fits beside the amount in the limit.
   */
  check(amounts: number[], now: number): number[] {
    const kept = this.#kept;
    if (!kept) return amounts;
    const probe = this.#probe;
    for (let i = 0; i < kept.length; i++) {
      const a = amounts[i]!;
      const { units, perMs, since } = kept[i]!;
      const r = Math.min(this.caps[i]! / 2, units + perMs * Math.max(0, now - since));
      probe[i] = a > 0 ? a + Math.max(0, Math.min(r, this.caps[i]! - a)) : a;
    }
    return probe;
  }
}
