/** The limiter's refusals: the error class a caller catches, and a message with whole milliseconds. */
import { describe, expect, it } from 'vitest';
import {
  CostExceedsLimitError,
  DeadlineExceededError,
  QueueFullError,
  RetriesExhaustedError,
} from '../../src/errors/index.js';
import { late, neverFits, pausedTooLong, queueFull } from '../../src/limit/refusals.js';

describe('refusals', () => {
  it('queue full names the cap', () => {
    const e = queueFull(3);
    expect(e).toBeInstanceOf(QueueFullError);
    expect(e.message).toBe('steady: the limiter queue is full (maxQueued 3)');
  });

  it('never fits names the dimension', () => {
    const e = neverFits('tokens');
    expect(e).toBeInstanceOf(CostExceedsLimitError);
    expect(e.message).toBe('steady: the store says this call can never fit "tokens"');
  });

  it('paused too long rounds the wait up and says what stopped it, after no attempt', () => {
    const e = pausedTooLong(4_000.2, 4_000);
    expect(e).toBeInstanceOf(RetriesExhaustedError);
    expect(e.message).toBe(
      'steady: the limiter is paused after a 429 for 4001 ms more, longer than this call waits out a pause ' +
        '(4000 ms; under a policy, retry.maxRetryAfterMs)',
    );
    expect(e.stoppedBy).toBe('maxRetryAfterMs');
    expect(e.attempts).toBe(0);
    expect(e.cause).toBeUndefined();
  });

  it('late rounds the earliest admission up to whole milliseconds', () => {
    const e = late(999.1);
    expect(e).toBeInstanceOf(DeadlineExceededError);
    expect(e.message).toBe(
      'steady: the limiter could admit this call in 1000 ms at the earliest, after its deadline',
    );
    expect(late(1_000).message).toContain('in 1000 ms at the earliest');
  });
});
