import type { Random } from '../clock.js';
import { assertNumber } from '../validate.js';
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

/** Exponential backoff: step n (n = 0 for the first retry) is min(maxMs, baseMs × factor^n), jittered. */
export function exponential(options: ExponentialOptions = {}): Backoff {
  const { baseMs = 500, maxMs = 30_000, factor = 2, jitter = 'full' } = options;
  assertNumber('backoff.baseMs', baseMs);
  assertNumber('backoff.maxMs', maxMs);
  assertNumber('backoff.factor', factor, 1);
  if (maxMs < baseMs)
    throw new RangeError(`steady: option "backoff.maxMs" (${maxMs}) must be >= "backoff.baseMs" (${baseMs})`);
  if (!['full', 'equal', 'decorrelated', 'none'].includes(jitter)) {
    throw new RangeError(
      `steady: option "backoff.jitter" must be 'full', 'equal', 'decorrelated' or 'none', got ${String(jitter)}`,
    );
  }

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
