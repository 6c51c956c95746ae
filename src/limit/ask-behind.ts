import type { Clock } from '../clock.js';
import type { Headroom } from './headroom.js';
import type { LimiterStore, ReserveResult } from './store.js';
import type { Queued } from './waiter.js';

/** One call's answer from a batched ask: the store's result, or what it threw or rejected with. */
export interface Asked {
  r: ReserveResult | undefined;
  err: unknown;
}

/**
 * Asks an asynchronous store that batches (`store.batch`) for every call of `items` at once, in
 * queue order: `first` is the head's ask, already out. Every answer settles (a store that throws or
 * rejects fails only that call), so the queue can act on all of them together.
 */
export function askBehind(
  store: LimiterStore,
  clock: Clock,
  headroom: Headroom,
  items: readonly Queued[],
  ids: readonly string[],
  head: Queued,
  first: Promise<ReserveResult>,
): Promise<Asked[]> {
  const asks = items.map((w, i) => {
    if (w === head) return first;
    try {
      return store.tryReserve(ids[i]!, w.cost, clock.now(), headroom.hold(w.cost));
    } catch (err) {
      return Promise.reject(err);
    }
  });
  return Promise.all(
    asks.map((p) =>
      Promise.resolve(p).then(
        (r): Asked => ({ r, err: undefined }),
        (err: unknown): Asked => ({ r: undefined, err }),
      ),
    ),
  );
}
