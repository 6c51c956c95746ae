import { systemClock } from '../clock.js';
import { CREATE_LIMITER_SHAPE, checkLimiterOptions } from './check-options.js';
import { QueuedLimiter } from './limiter.js';
import { MemoryStore } from './memory-store.js';
import type { CreateLimiterOptions, SteadyLimiter } from './options.js';
import type { LimiterStore } from './store.js';

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
export function createLimiter(options: CreateLimiterOptions): SteadyLimiter {
  checkLimiterOptions(options, '', 'createLimiter', CREATE_LIMITER_SHAPE);
  return buildLimiter(options);
}

/** The limiter for options already checked (by `createLimiter`, or by `createPolicy` under its own paths). */
export function buildLimiter(options: CreateLimiterOptions): SteadyLimiter {
  const { limits, algorithm, safetyMarginMs } = options;
  const store: LimiterStore = options.store ?? new MemoryStore({ limits, algorithm, safetyMarginMs });
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  const limiter = new QueuedLimiter(
    store,
    limits,
    options.clock ?? systemClock,
    maxQueued,
    options.onThrottle,
  );
  // A shared store takes its limits and ledger options from here: written once, in the policy.
  store.bind?.({ limits, algorithm, safetyMarginMs, wake: () => limiter.wake() });
  return limiter;
}
