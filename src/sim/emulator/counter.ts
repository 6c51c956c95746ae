/** How the server counts one dimension (calls or tokens) of one key over its window. */
import { BucketCounter } from './counter-bucket.js';
import { FixedCounter } from './counter-fixed.js';
import { RollingCounter } from './counter-rolling.js';
import type { LimitAlgorithm } from './types.js';

export interface Counter {
  /** Milliseconds until `amount` more fits under the limit: 0 when it fits now, Infinity when it never will. */
  waitMs(now: number, amount: number): number;
  /** Charges `amount` at `now`. */
  add(now: number, amount: number): void;
  /** How much is counted against the limit at `now`. */
  used(now: number): number;
}

export function createCounter(
  algorithm: LimitAlgorithm,
  limit: number,
  windowMs: number,
  origin: number,
): Counter {
  switch (algorithm) {
    case 'rolling':
      return new RollingCounter(limit, windowMs);
    case 'fixed':
      return new FixedCounter(limit, windowMs, origin);
    case 'bucket':
      return new BucketCounter(limit, windowMs, origin);
  }
}
