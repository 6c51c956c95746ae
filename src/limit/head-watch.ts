import { PAUSE } from './store.js';

/**
 * Which dimension held the queue, for `throttle` reports, without a field per waiter: the head's
 * blocked time is summed per dimension; a call that only waited behind others is reported with the
 * dimension that blocked the queue last.
 */
export class HeadWatch {
  /** Times any head was blocked; a waiter compares it with the count at its enqueue. */
  blocks = 0;
  #head: object | undefined;
  #since = 0;
  #dim = '';
  #last = PAUSE;
  readonly #sums = new Map<string, number>();

  /** `head` was refused at `now` on `dimension`. */
  blocked(head: object, dimension: string, now: number): void {
    this.blocks++;
    if (this.#head === head) this.#add(now);
    else {
      this.#head = head;
      this.#sums.clear();
    }
    this.#since = now;
    this.#dim = dimension;
    this.#last = dimension;
  }

  /** `w` (enqueued when `blocks` was `blocksBefore`) is admitted: the dimension to report, or undefined when no limit held it. */
  admitted(w: { readonly blocksBefore: number }, now: number): string | undefined {
    if (this.#head !== w) return this.blocks > w.blocksBefore ? this.#last : undefined;
    this.#add(now);
    let best = this.#dim;
    let most = -1;
    for (const [d, ms] of this.#sums) {
      if (ms > most) {
        most = ms;
        best = d;
      }
    }
    this.forget(w);
    return best;
  }

  forget(w: object): void {
    if (this.#head !== w) return;
    this.#head = undefined;
    this.#sums.clear();
  }

  #add(now: number): void {
    this.#sums.set(this.#dim, (this.#sums.get(this.#dim) ?? 0) + now - this.#since);
    this.#since = now;
  }
}
