import { describe, expect, it } from 'vitest';
import { constant, createPolicy, DeadlineExceededError, exponential } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* The edges of policy.decide and of the loop's decision: the deadline met exactly, bad histories. */

const http = (status: number) => ({ status, headers: {} });

function setup(retry: Record<string, unknown> = {}) {
  const clock = testClock(1_000_000);
  const policy = createPolicy({
    clock,
    retry: { backoff: exponential({ baseMs: 100, jitter: 'none' }), maxAttempts: 4, ...retry },
  });
  return { clock, policy };
}

describe('policy.decide at the deadline', () => {
  it('a wait that ends exactly at the deadline is refused; one that ends 1 ms before it is taken', () => {
    // startedAt = now, the first wait is 100 ms: the retry would start at startedAt + 100.
    const at = setup({ maxElapsedMs: 100 });
    const refused = at.policy.decide(http(503), { attempt: 1, startedAt: at.clock.now() });
    if (refused.action !== 'fail') throw new Error('expected a failure');
    expect(refused.error).toBeInstanceOf(DeadlineExceededError);
    expect(refused.error.message).toBe(
      'steady: retry.maxElapsedMs (100 ms) exceeded after 1 attempts: the next wait (100 ms) would cross it',
    );
    const before = setup({ maxElapsedMs: 101 });
    expect(before.policy.decide(http(503), { attempt: 1, startedAt: before.clock.now() })).toMatchObject({
      action: 'retry',
      delayMs: 100,
    });
  });
});

describe('policy.decide with a bad history', () => {
  it('null, a NaN or infinite startedAt, a previousStep that is not a step: each a TypeError naming the field', () => {
    const { policy } = setup();
    expect(() => policy.decide(http(503), null as never)).toThrow(
      'steady: decide(error, history): history must be { attempt, startedAt }',
    );
    for (const startedAt of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => policy.decide(http(503), { attempt: 1, startedAt })).toThrow(
        `steady: decide(): history.startedAt must be a clock time in milliseconds, got ${startedAt}`,
      );
    }
    for (const previousStep of [null, {}, { next: 5 }]) {
      expect(() => policy.decide(http(503), { attempt: 2, startedAt: 0, previousStep } as never)).toThrow(
        new TypeError('steady: decide(): history.previousStep must be the step of a previous decision'),
      );
    }
  });
});

describe('the loop, when the deadline cuts an attempt short', () => {
  it('ends the call with "the last attempt ran out of time", not with a wait that would cross it', async () => {
    // 503 at 0, a 300 ms wait, attempt 2 from 300 hangs: its 5 s timeout is cut to the 700 ms left.
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxElapsedMs: 1_000, attemptTimeoutMs: 5_000, backoff: constant(300) },
    });
    const done = policy
      .run(({ attempt }) => (attempt === 1 ? Promise.reject(http(503)) : new Promise(() => {})))
      .catch((e: unknown) => e);
    await clock.runAllAsync();
    const err = (await done) as DeadlineExceededError;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.message).toBe(
      'steady: retry.maxElapsedMs (1000 ms) exceeded after 2 attempts: the last attempt ran out of time',
    );
    expect(err.verdict).toMatchObject({ action: 'retry', reason: 'timeout' });
    expect(clock.now()).toBe(1_000);
  });
});
