import { describe, expect, it } from 'vitest';
import { assertPolicy, retryDecision } from '../../src/adapters/shared/retry-decision.js';
import { constant, createPolicy, exponential, type RetryEvent, type Verdict } from '../../src/index.js';
import { resolveOptions } from '../../src/policy/resolve.js';
import { retryDelay } from '../../src/policy/retry-delay.js';
import { seededRandom, testClock } from '../../src/testing.js';

const http = (status: number, headers: Record<string, string> = {}) => ({ status, headers });
const retry503: Verdict = { action: 'retry', reason: 'server-error', status: 503 };

/** The delays `policy.run` itself waits on the given failures, read from its retry events. */
async function loopDelays(
  options: Parameters<typeof createPolicy>[0],
  failures: unknown[],
): Promise<number[]> {
  const clock = testClock();
  const policy = createPolicy({ ...options, clock });
  const delays: number[] = [];
  policy.on('retry', (e: RetryEvent) => delays.push(e.delayMs));
  let n = 0;
  const done = policy
    .run(async () => {
      if (n < failures.length) throw failures[n++];
      return 'ok';
    })
    .catch(() => 'failed');
  await clock.runAllAsync();
  await done;
  return delays;
}

describe('retryDelay (src/policy/retry-delay.ts) and policy.retryDelay', () => {
  it('gives the waits the loop takes, retry by retry, and undefined once attempts are used up', async () => {
    const options = {
      retry: { maxAttempts: 4, backoff: exponential({ baseMs: 100, jitter: 'none' }) },
    } as const;
    const policy = createPolicy(options);
    expect(await loopDelays(options, [http(503), http(503), http(503)])).toEqual([100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => policy.retryDelay(retry503, n))).toEqual([100, 200, 400, undefined]);
  });

  it('takes the larger of the backoff step and the server hint, as the loop does', async () => {
    const options = { retry: { backoff: exponential({ baseMs: 1_000, jitter: 'none' }) } } as const;
    const policy = createPolicy(options);
    const hinted = http(429, { 'retry-after': '2' });
    expect(await loopDelays(options, [hinted, hinted, hinted])).toEqual([2_000, 2_000, 4_000]);
    const v = policy.classify(hinted);
    expect(v).toMatchObject({ action: 'retry', reason: 'rate-limited', retryAfterMs: 2_000 });
    expect([1, 2, 3].map((n) => policy.retryDelay(v, n))).toEqual([2_000, 2_000, 4_000]);
  });

  it('gives up on a fail verdict, an ok verdict, and a hint above maxRetryAfterMs', () => {
    const policy = createPolicy({ retry: { maxRetryAfterMs: 5_000, backoff: constant(10) } });
    expect(policy.retryDelay(policy.classify(http(400)), 1)).toBeUndefined();
    expect(policy.retryDelay({ action: 'ok' }, 1)).toBeUndefined();
    expect(policy.retryDelay(policy.classify(http(429, { 'retry-after': '6' })), 1)).toBeUndefined();
    expect(policy.retryDelay(policy.classify(http(429, { 'retry-after': '5' })), 1)).toBe(5_000);
  });

  it('with previousStep, goes on from it: the same decorrelated schedule as the loop on the same seed', async () => {
    const backoff = exponential({ baseMs: 100, maxMs: 5_000, jitter: 'decorrelated' });
    const options = { random: seededRandom(3), retry: { maxAttempts: 6, backoff } };
    const expected = await loopDelays(options, Array(5).fill(http(503)));
    const p = resolveOptions({ random: seededRandom(3), retry: { maxAttempts: 6, backoff } });
    const got: number[] = [];
    let prev: ReturnType<typeof retryDelay>;
    for (let n = 1; n <= 5; n++) {
      prev = retryDelay(p, retry503, n, prev?.step);
      got.push(prev!.delayMs);
    }
    expect(got).toEqual(expected);
    expect(new Set(got).size).toBeGreaterThan(1);
    expect(retryDelay(p, retry503, 6, prev!.step)).toBeUndefined();
  });

  it('without previousStep, walks the schedule from the start: full jitter stays within step n', () => {
    const policy = createPolicy({
      random: seededRandom(9),
      retry: { maxAttempts: 10, backoff: exponential({ baseMs: 100, maxMs: 10_000 }) },
    });
    for (let n = 1; n <= 6; n++) {
      for (let i = 0; i < 20; i++) {
        const d = policy.retryDelay(retry503, n)!;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(100 * 2 ** (n - 1));
      }
    }
  });

  it('rejects a retryNumber that is not an integer >= 1', () => {
    const policy = createPolicy();
    expect(() => policy.retryDelay(retry503, 0)).toThrow(RangeError);
    expect(() => policy.retryDelay(retry503, 1.5)).toThrow(/retryNumber must be an integer >= 1/);
  });

  it('exposes retrySettings, frozen', () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxAttempts: 3, maxElapsedMs: 9_000 } });
    expect(policy.retrySettings).toEqual({ maxAttempts: 3, maxElapsedMs: 9_000, clock });
    expect(Object.isFrozen(policy.retrySettings)).toBe(true);
    expect(createPolicy().retrySettings).toMatchObject({
      maxAttempts: 5,
      maxElapsedMs: Number.POSITIVE_INFINITY,
    });
  });
});

describe('retryDecision (src/adapters/shared)', () => {
  const policy = createPolicy({ retry: { maxAttempts: 3, backoff: constant(7) } });

  it('classifies the error and counts retries already made (0 after the first failure)', () => {
    expect(retryDecision(policy, http(503), 0)).toEqual({
      verdict: expect.objectContaining({ reason: 'server-error' }),
      delayMs: 7,
    });
    expect(retryDecision(policy, http(503), 1).delayMs).toBe(7);
    expect(retryDecision(policy, http(503), 2).delayMs).toBeUndefined();
    expect(retryDecision(policy, http(401), 0)).toEqual({
      verdict: expect.objectContaining({ action: 'fail', reason: 'unauthorized' }),
      delayMs: undefined,
    });
  });

  it('assertPolicy names the adapter when handed something else', () => {
    expect(() => assertPolicy({ classify() {} }, 'pRetryOptions')).toThrow(
      'steady: pRetryOptions(policy) needs a policy from createPolicy()',
    );
    expect(() => assertPolicy(undefined, 'bottleneckFailed')).toThrow(TypeError);
    expect(() => assertPolicy(policy, 'x')).not.toThrow();
  });
});
