/**
 * The simulator's virtual clock: timers in a heap, fired in time order as fast as the promises they
 * wake allow. An hour of traffic runs in seconds. Unlike `testClock()` (a linear scan and twenty
 * microtask turns per timer, fine for a test's dozen timers) it stays fast with thousands pending.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Clock } from '../../clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Lets every promise woken by the last timer run to its next wait (nothing here does real I/O). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  #now = 0;
  #seq = 0;
  readonly #heap: Timer[] = [];
  readonly #cleared = new Set<number>();

  now(): number {
    return this.#now;
  }

  /** Like a host timer, the callback runs in the async context it was scheduled from. */
  setTimeout(fn: () => void, ms: number): unknown {
    const delay = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    const timer = { at: this.#now + delay, seq: ++this.#seq, fn: AsyncResource.bind(fn) };
    this.#push(timer);
    return timer.seq;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.#cleared.add(handle);
  }

  /**
   * Fires timers in order until none is left (a timer at Infinity never fires). `onTimer` runs after
   * each one, for a progress bar.
   */
  async run(onTimer?: () => void): Promise<void> {
    await settle();
    for (;;) {
      const timer = this.#pop();
      if (!timer || timer.at === Number.POSITIVE_INFINITY) return;
      if (this.#cleared.delete(timer.seq)) continue;
      this.#now = timer.at;
      timer.fn();
      await settle();
      onTimer?.();
    }
  }

  #push(timer: Timer): void {
    const h = this.#heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): Timer | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}
