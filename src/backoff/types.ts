import type { Random } from '../clock.js';

/**
 * A backoff is an immutable value. `next(random)` returns the first step; each step has its
 * `delayMs` and a `next` of its own, so a test can walk a schedule without sleeping:
 *
 * ```ts
 * let step = exponential({ baseMs: 100 }).next(seededRandom(1));
 * step.delayMs; step = step.next(random);
 * ```
 */
export interface Backoff {
  next(random: Random): BackoffStep;
}

export interface BackoffStep extends Backoff {
  /** How long to wait before the next attempt. */
  readonly delayMs: number;
}
