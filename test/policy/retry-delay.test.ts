import { describe, expect, it } from 'vitest';
import { createPolicy, exponential } from '../../src/index.js';

/* policy.retryDelay(verdict, retryNumber): what the policy would wait before a retry, or undefined. */

const policy = createPolicy({
  retry: { backoff: exponential({ baseMs: 100, jitter: 'none' }), maxAttempts: 3, maxRetryAfterMs: 2_000 },
});
const rateLimited = (retryAfterMs: number) =>
  ({ action: 'retry', reason: 'rate-limited', retryAfterMs }) as const;

describe('policy.retryDelay', () => {
  it('a server hint equal to maxRetryAfterMs is waited; 1 ms more is not', () => {
    expect(policy.retryDelay(rateLimited(2_000), 1)).toBe(2_000);
    expect(policy.retryDelay(rateLimited(2_001), 1)).toBeUndefined();
  });

  it('a verdict that is not a retry never waits, whatever the retry number', () => {
    const fail = { action: 'fail', reason: 'unauthorized', scope: 'request' } as const;
    expect(policy.retryDelay(fail, 1)).toBeUndefined();
    expect(policy.retryDelay({ action: 'ok' }, 1)).toBeUndefined();
  });

  it('walks the backoff: 100 then 200 ms; retry 3 follows attempt 3 of 3, so none', () => {
    const serverError = { action: 'retry', reason: 'server-error' } as const;
    expect([1, 2, 3].map((n) => policy.retryDelay(serverError, n))).toEqual([100, 200, undefined]);
  });

  it('retryNumber must be an integer ≥ 1', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => policy.retryDelay({ action: 'retry', reason: 'server-error' }, n)).toThrow(
        new RangeError(`steady: retryNumber must be an integer >= 1, got ${n}`),
      );
    }
  });
});
