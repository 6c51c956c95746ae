import { systemClock } from '../clock.js';
import { QueuedLimiter } from './limiter.js';
import { MemoryStore } from './memory-store.js';
import type { LimiterOptions, SteadyLimiter } from './options.js';
import { checkLimits, checkNumber, checkOneOf } from './validate.js';

/**
 * A limiter for `options.limits`: calls wait in a priority queue (FIFO within a priority) until the
 * store admits their whole cost on every dimension at once.
 *
 * **Gotchas**
 * - A call waits behind the head of the queue even when it is small enough to fit now (no overtaking).
 * - `refund()` keeps the `calls` unit counted; `cancel()` gives back everything.
 * - A waiter's `deadline` is checked when it is enqueued behind a blocked head and when it reaches the
 *   head; a waiter deep in the queue whose deadline passes is rejected only when it reaches the head
 *   (abort its signal to leave earlier).
 *
 * @example
 * const limiter = createLimiter({ limits: { calls: { limit: 40, windowMs: 60_000 }, tokens: { limit: 100_000, windowMs: 60_000 } } });
 * const r = await limiter.acquire({ calls: 1, tokens: 1_200 }, { signal });
 * try { const res = await callTheApi(); r.commit({ tokens: res.usage.tokens }); } catch (e) { r.refund(); throw e; }
 */
export function createLimiter(options: LimiterOptions): SteadyLimiter {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('steady: limiter options must be an object { limits }');
  }
  const limits = checkLimits(options.limits);
  checkOneOf('algorithm', options.algorithm, ['rolling', 'bucket']);
  if (options.safetyMarginMs !== undefined) checkNumber('safetyMarginMs', options.safetyMarginMs, 0, false);
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  checkNumber('maxQueued', maxQueued, 1, false, false);
  if (maxQueued !== Number.POSITIVE_INFINITY && !Number.isInteger(maxQueued)) {
    throw new RangeError('steady: option "maxQueued" must be an integer ≥ 1 or Infinity');
  }
  const clock = options.clock ?? systemClock;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('steady: option "clock" must have now(), setTimeout() and clearTimeout()');
  }
  if (options.onThrottle !== undefined && typeof options.onThrottle !== 'function') {
    throw new TypeError('steady: option "onThrottle" must be a function');
  }
  let store = options.store;
  if (store === undefined) {
    store = new MemoryStore({ limits, algorithm: options.algorithm, safetyMarginMs: options.safetyMarginMs });
  } else {
    for (const op of ['tryReserve', 'settle', 'release', 'pause'] as const) {
      if (typeof store[op] !== 'function') throw new TypeError(`steady: option "store" must have ${op}()`);
    }
    for (const opt of ['algorithm', 'safetyMarginMs'] as const) {
      if (options[opt] !== undefined) {
        throw new TypeError(
          `steady: option "${opt}" configures the default store; set it on the store passed as "store"`,
        );
      }
    }
  }
  return new QueuedLimiter(store, limits, clock, maxQueued, options.onThrottle);
}
