import { describe, expect, it } from 'vitest';
import { createPolicy, exponential, FatalError, RetriesExhaustedError } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* The messages a call ends with (policy/outcomes.ts), word for word: what a user reads in a log. */

const http = (status: number, body?: unknown) => ({ status, headers: {}, body });

function setup(extra: Record<string, unknown> = {}) {
  const clock = testClock(0);
  const policy = createPolicy({
    clock,
    retry: { backoff: exponential({ baseMs: 100, jitter: 'none' }), maxAttempts: 2 },
    ...extra,
  });
  return { clock, policy };
}

describe('the error messages of a call', () => {
  it('a verdict without a status has no "(HTTP …)": a connection reset, given up after 2 attempts', () => {
    const { policy } = setup();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const d = policy.decide(reset, { attempt: 2, startedAt: 0 });
    if (d.action !== 'fail') throw new Error('expected a failure');
    expect(d.error.message).toBe('steady: gave up after 2 attempts: network: socket hang up');
  });

  it("a server's message follows the status: a 401 with { message: 'bad key' }", () => {
    const { policy } = setup();
    const d = policy.decide(http(401, { message: 'bad key' }), { attempt: 1, startedAt: 0 });
    if (d.action !== 'fail') throw new Error('expected a failure');
    expect(d.error).toBeInstanceOf(FatalError);
    expect(d.error.message).toBe('steady: unauthorized (HTTP 401): bad key');
  });

  it('a thrown error that a rule calls ok ends the call at once with FatalError "steady: ok"', async () => {
    const { policy } = setup({ rules: [() => ({ action: 'ok' })] });
    let attempts = 0;
    const err = await policy
      .run(() => {
        attempts++;
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).message).toBe('steady: ok');
    expect(attempts).toBe(1);
  });

  it('the retry budget spent: tokens left, the cost of a retry, and "attempt" or "attempts"', () => {
    // maxTokens 10, a retry costs 5: two retries take it to 0, the third cannot be paid.
    const { policy } = setup({ budget: { maxTokens: 10 }, retry: { maxAttempts: 10 } });
    expect(policy.decide(http(503), { attempt: 1, startedAt: 0 }).action).toBe('retry');
    expect(policy.decide(http(503), { attempt: 1, startedAt: 0 }).action).toBe('retry');
    const one = policy.decide(http(503), { attempt: 1, startedAt: 0 });
    const two = policy.decide(http(503), { attempt: 2, startedAt: 0 });
    if (one.action !== 'fail' || two.action !== 'fail') throw new Error('expected failures');
    expect(one.error).toBeInstanceOf(RetriesExhaustedError);
    expect(one.error.message).toBe(
      'steady: the retry budget is spent (0 of 10 tokens left, a retry costs 5; successes refill it), ' +
        'gave up after 1 attempt: server-error (HTTP 503)',
    );
    expect(two.error.message).toBe(
      'steady: the retry budget is spent (0 of 10 tokens left, a retry costs 5; successes refill it), ' +
        'gave up after 2 attempts: server-error (HTTP 503)',
    );
  });
});
