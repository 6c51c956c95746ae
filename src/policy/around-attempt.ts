import type { Clock } from '../clock.js';
import type { Around } from './around.js';
import { type Attempt, runAttempt } from './attempt.js';
import type { AttemptContext } from './options.js';

/**
 * `runAttempt` inside `around.attempt`. A function of its own so that the loop holds no closure
 * over its locals (which would make V8 allocate them on every attempt, instrumented or not).
 */
export function aroundAttempt<T>(
  around: Around,
  fn: (ctx: AttemptContext) => T | PromiseLike<T>,
  ctx: Attempt,
  clock: Clock,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  byDeadline: boolean,
): Promise<T> {
  return around.attempt(ctx.attempt, () => runAttempt(fn, ctx, clock, signal, timeoutMs, byDeadline));
}
