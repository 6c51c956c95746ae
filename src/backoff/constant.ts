import { assertNumber } from '../validate.js';
import type { Backoff, BackoffStep } from './types.js';

/** The same delay before every retry. */
export function constant(delayMs: number): Backoff {
  assertNumber('backoff.delayMs', delayMs);
  const step: BackoffStep = { delayMs, next: () => step };
  return step;
}
