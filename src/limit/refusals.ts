import { CostExceedsLimitError } from '../errors/cost-exceeds-limit-error.js';
import { DeadlineExceededError } from '../errors/deadline-exceeded-error.js';
import { QueueFullError } from '../errors/queue-full-error.js';
import { RetriesExhaustedError } from '../errors/retries-exhausted-error.js';

/** The errors the limiter refuses a call with, their messages in one place. */

export function queueFull(maxQueued: number): QueueFullError {
  return new QueueFullError(`steady: the limiter queue is full (maxQueued ${maxQueued})`);
}

/** The store answered that this cost can never be admitted on `dimension`. */
export function neverFits(dimension: string): CostExceedsLimitError {
  return new CostExceedsLimitError(`steady: the store says this call can never fit "${dimension}"`);
}

/** The ledger is paused after a 429 for longer than this call waits out a pause. */
export function pausedTooLong(waitMs: number, maxPauseMs: number): RetriesExhaustedError {
  return new RetriesExhaustedError(
    `steady: the limiter is paused after a 429 for ${Math.ceil(waitMs)} ms more, longer than this ` +
      `call waits out a pause (${maxPauseMs} ms; under a policy, retry.maxRetryAfterMs)`,
    { attempts: 0, cause: undefined, stoppedBy: 'maxRetryAfterMs' },
  );
}

/** The earliest admission is after the call's deadline. */
export function late(waitMs: number): DeadlineExceededError {
  return new DeadlineExceededError(
    `steady: the limiter could admit this call in ${Math.ceil(waitMs)} ms at the earliest, after its deadline`,
  );
}
