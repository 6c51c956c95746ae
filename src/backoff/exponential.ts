import type { Random } from '../clock.js';
import { checkShape, number, oneOf } from '../validate.js';
import type { Backoff, BackoffStep } from './types.js';

/**
 * - `full`: uniform in [0, d] — spreads a thundering herd best (AWS "Exponential Backoff And Jitter").
 * - `equal`: d/2 + uniform in [0, d/2] — never shorter than half the step.
 * - `decorrelated`: uniform in [base, previous × 3], capped — grows with the last delay drawn.
 * - `none`: exactly d.
 */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

export interface ExponentialOptions {
  /** The first step's nominal delay. @default 500 */
  baseMs?: number;
  /** No delay exceeds this. @default 30_000 */
  maxMs?: number;
  /** Growth per retry. @default 2 */
  factor?: number;
  /** @default 'full' */
  jitter?: Jitter;
}

const SHAPE = {
  baseMs: number({ infinite: false }),
  maxMs: number(),
  factor: number({ min: 1, infinite: false }),
  jitter: oneOf(['full', 'equal', 'decorrelated', 'none']),
};

/** Exponential backoff: step n (n = 0 for the first retry) is min(maxMs, baseMs × factor^n), jittered. */
export function exponential(options: ExponentialOptions = {}): Backoff {
  checkShape(options, 'exponential', SHAPE);
  const { baseMs = 500, maxMs = 30_000, factor = 2, jitter = 'full' } = options;
  if (maxMs < baseMs)
    throw new RangeError(`steady: exponential.maxMs (${maxMs}) must be >= exponential.baseMs (${baseMs})`);

  const step = (n: number, previousMs: number, random: Random): BackoffStep => {
    const nominal = Math.min(maxMs, baseMs * factor ** n);
    let delayMs: number;
    switch (jitter) {
      case 'full':
        delayMs = random.next() * nominal;
        break;
      case 'equal':
        delayMs = nominal / 2 + (random.next() * nominal) / 2;
        break;
      case 'decorrelated': {
        const upper = Math.min(maxMs, Math.max(baseMs, previousMs * 3));
        delayMs = baseMs + random.next() * (upper - baseMs);
        break;
      }
      default:
        delayMs = nominal;
    }
    delayMs = Math.round(delayMs);
    return { delayMs, next: (r) => step(n + 1, delayMs, r) };
  };
  return { next: (random) => step(0, baseMs, random) };
}
