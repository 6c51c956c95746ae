/**
 * What `MemoryStore.observe` charged for another client on the key, `[time, dimension, amount]`,
 * oldest first, kept only while each is inside its dimension's window (`spans`: window + margin).
 */
export class ChargeLog {
  readonly #entries: [number, number, number][] = [];

  constructor(private readonly spans: readonly number[]) {}

  /** Records a charge at `now`, dropping those that have left their window. */
  push(now: number, d: number, amount: number): void {
    this.#prune(now);
    this.#entries.push([now, d, amount]);
  }

  /** What was charged on dimension `d` after `since` and is still in its window. */
  after(d: number, since: number, now: number): number {
    this.#prune(now);
    const entries = this.#entries;
    let sum = 0;
    for (let i = entries.length - 1; i >= 0 && entries[i]![0] > since; i--)
      if (entries[i]![1] === d) sum += entries[i]![2];
    return sum;
  }

  #prune(now: number): void {
    const entries = this.#entries;
    while (entries.length > 0 && entries[0]![0] + this.spans[entries[0]![1]]! <= now) entries.shift();
  }
}
