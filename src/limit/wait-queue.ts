/** One priority's FIFO: an array with a head index, so a shift is O(1) and holds no extra node. */
interface Level<T> {
  readonly priority: number;
  items: (T | undefined)[];
  head: number;
  live: number;
}

/**
 * Waiting calls: lowest priority number first, FIFO within one priority. Items removed from the middle
 * (an abort) stay as tombstones until they reach the front or outnumber the live ones; the caller
 * marks them dead (`waiting` false) before `delete`. Memory: one array slot per queued item.
 */
export class WaitQueue<T extends { readonly waiting: boolean }> {
  #levels: Level<T>[] = [];
  #size = 0;

  /** Live items. */
  get size(): number {
    return this.#size;
  }

  /** Array slots held (live items, tombstones, the consumed front not yet dropped): its memory, for tests. */
  get slots(): number {
    let n = 0;
    for (const level of this.#levels) n += level.items.length;
    return n;
  }

  /** Adds `item`; true when it is now the head (the next to be admitted). */
  push(item: T, priority: number): boolean {
    const levels = this.#levels;
    let i = 0;
    while (i < levels.length && levels[i]!.priority < priority) i++;
    let level = levels[i];
    if (!level || level.priority !== priority) {
      level = { priority, items: [], head: 0, live: 0 };
      levels.splice(i, 0, level);
    }
    level.items.push(item);
    level.live++;
    this.#size++;
    return i === 0 && level.live === 1;
  }

  /** The head, or undefined when nothing waits. */
  peek(): T | undefined {
    const level = this.#levels[0];
    if (!level) return undefined;
    let item = level.items[level.head];
    // Stryker disable next-line ConditionalExpression: `while (true)` never returns and grows the array until the process runs out of memory (every test that peeks would hang)
    while (item === undefined || !item.waiting) {
      // Stryker disable next-line UpdateOperator: `head--` walks back for ever, adding a slot per turn (out of memory, as above)
      level.items[level.head++] = undefined;
      item = level.items[level.head];
    }
    return item;
  }

  /** Up to `k` live items from the head, in the order they will be admitted. */
  first(k: number): T[] {
    const out: T[] = [];
    for (const level of this.#levels) {
      for (let i = level.head; i < level.items.length && out.length < k; i++) {
        const item = level.items[i];
        if (item?.waiting) out.push(item);
      }
      if (out.length >= k) break;
    }
    return out;
  }

  /** Takes out an item already marked dead: at once if it is first in its priority, else as a tombstone. */
  delete(item: T, priority: number): void {
    const at = this.#levels.findIndex((l) => l.priority === priority);
    const level = this.#levels[at];
    if (!level) return;
    this.#size--;
    if (--level.live === 0) {
      this.#levels.splice(at, 1);
      return;
    }
    if (level.items[level.head] === item) level.items[level.head++] = undefined;
    const kept = level.items.length - level.head;
    if (kept > 64 && kept > 2 * level.live) {
      level.items = level.items.slice(level.head).filter((x) => x!.waiting); // no slot past the head is empty
      level.head = 0;
    } else if (level.head > 1024 && level.head * 2 > level.items.length) {
      level.items = level.items.slice(level.head);
      level.head = 0;
    }
  }
}
