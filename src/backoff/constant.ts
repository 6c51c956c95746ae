import { number, required } from '../validate.js';
import type { Backoff, BackoffStep } from './types.js';

/** The same delay before every retry. */
export function constant(delayMs: number): Backoff {
  required(number({ infinite: false }), 'the delay in ms')(delayMs, 'constant(delayMs)');
  const step: BackoffStep = { delayMs, next: () => step };
  return step;
}
