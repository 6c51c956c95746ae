import { describe, expect, it } from 'vitest';
import {
  createLimiter,
  createPolicy,
  DeadlineExceededError,
  exponential,
  FatalError,
  RetriesExhaustedError,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* policy.decide(error, history): the loop's decision, for a job runner that keeps the history itself. */

const http = (status: number, headers: Record<string, string> = {}, body?: unknown) => ({
  status,
  headers,
  body,
});

function setup(retry: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const clock = testClock(1_000_000);
  const policy = createPolicy({
    clock,
    retry: { backoff: exponential({ baseMs: 100, jitter: 'none' }), maxAttempts: 4, ...retry },
    ...extra,
  });
  return { clock, policy };
}

describe('policy.decide', () => {
  it('retries a 503 after the backoff step: 100, 200, 400 ms, then gives up at maxAttempts 4', () => {
    const { clock, policy } = setup();
    const startedAt = clock.now();
    const waits: number[] = [];
    let previousStep: import('../../src/index.js').BackoffStep | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = policy.decide(http(503), { attempt, startedAt, previousStep });
      if (d.action !== 'retry') throw new Error('expected a retry');
      waits.push(d.delayMs);
      previousStep = d.step;
    }
    expect(waits).toEqual([100, 200, 400]);
    const last = policy.decide(http(503), { attempt: 4, startedAt, previousStep });
    expect(last.action).toBe('fail');
    if (last.action !== 'fail') return;
    expect(last.error).toBeInstanceOf(RetriesExhaustedError);
    expect(last.error.message).toBe('steady: gave up after 4 attempts: server-error (HTTP 503)');
    expect((last.error as RetriesExhaustedError).stoppedBy).toBe('maxAttempts');
    expect(last.error.attempts).toBe(4);
  });

  it('without previousStep, walks the schedule from the first step: attempt 3 waits 400 ms', () => {
    const { clock, policy } = setup();
    expect(policy.decide(http(503), { attempt: 3, startedAt: clock.now() })).toMatchObject({
      action: 'retry',
      delayMs: 400,
    });
  });

  it('waits max(backoff, Retry-After): a 429 with Retry-After: 3 waits 3000 ms, not 100', () => {
    const { clock, policy } = setup();
    const d = policy.decide(http(429, { 'retry-after': '3' }), { attempt: 1, startedAt: clock.now() });
    expect(d).toMatchObject({ action: 'retry', delayMs: 3_000, verdict: { reason: 'rate-limited' } });
  });

  it('a hint above maxRetryAfterMs fails with stoppedBy maxRetryAfterMs', () => {
    const { clock, policy } = setup({ maxRetryAfterMs: 2_000 });
    const d = policy.decide(http(429, { 'retry-after': '3' }), { attempt: 1, startedAt: clock.now() });
    if (d.action !== 'fail') throw new Error('expected a failure');
    expect((d.error as RetriesExhaustedError).stoppedBy).toBe('maxRetryAfterMs');
    expect(d.error.message).toBe(
      'steady: the server asked to wait 3000 ms, more than retry.maxRetryAfterMs (2000 ms): rate-limited (HTTP 429)',
    );
  });

  it('a 401 fails at once with FatalError, whatever attempt it is', () => {
    const { clock, policy } = setup();
    const d = policy.decide(http(401), { attempt: 1, startedAt: clock.now() });
    if (d.action !== 'fail') throw new Error('expected a failure');
    expect(d.error).toBeInstanceOf(FatalError);
    expect(d.error.attempts).toBe(1);
    expect(d.verdict).toMatchObject({ action: 'fail', reason: 'unauthorized', status: 401 });
  });

  it('maxElapsedMs counts from history.startedAt: 9.8 s in, a 400 ms wait crosses a 10 s deadline, a 100 ms one does not', async () => {
    const { clock, policy } = setup({ maxElapsedMs: 10_000 });
    const startedAt = clock.now();
    await clock.tickAsync(9_800);
    const early = policy.decide(http(503), { attempt: 1, startedAt });
    expect(early).toMatchObject({ action: 'retry', delayMs: 100 });
    const late = policy.decide(http(503), { attempt: 3, startedAt });
    if (late.action !== 'fail') throw new Error('expected a failure');
    expect(late.error).toBeInstanceOf(DeadlineExceededError);
    expect(late.error.message).toBe(
      'steady: retry.maxElapsedMs (10000 ms) exceeded after 3 attempts: the next wait (400 ms) would cross it',
    );
  });

  it('spends the retry budget as the loop does: 10 tokens at 5 a retry pay for two retries, the third fails', () => {
    const { clock, policy } = setup({ maxAttempts: 100 }, { budget: { maxTokens: 10 } });
    const startedAt = clock.now();
    expect(policy.decide(http(503), { attempt: 1, startedAt }).action).toBe('retry');
    expect(policy.decide(http(503), { attempt: 1, startedAt }).action).toBe('retry');
    const third = policy.decide(http(503), { attempt: 1, startedAt });
    if (third.action !== 'fail') throw new Error('expected a failure');
    expect((third.error as RetriesExhaustedError).stoppedBy).toBe('budget');
  });

  it('a 429 pauses the policy limiter for the hint, as the loop does', async () => {
    const clock = testClock(0);
    const limiter = createLimiter({ limits: { calls: { limit: 10, windowMs: 60_000 } }, clock });
    const policy = createPolicy({ clock, limiter });
    policy.decide(http(429, { 'retry-after': '2' }), { attempt: 1, startedAt: 0 });
    expect(await limiter.tryAcquire({ calls: 1 })).toEqual({
      ok: false,
      retryInMs: 2_000,
      dimension: 'pause',
    });
  });

  it('redacts the declared secrets and the credentials of the error, as the loop does', () => {
    const { clock, policy } = setup();
    const key = 'sk-live-0123456789abcdef';
    const err = Object.assign(new Error(`bad key ${key}`), {
      status: 401,
      headers: { authorization: `Bearer ${key}` },
      body: { message: `invalid api token ${key}` },
    });
    const d = policy.decide(err, { attempt: 1, startedAt: clock.now() }, { secrets: [key] });
    if (d.action !== 'fail') throw new Error('expected a failure');
    const shown = JSON.stringify({ m: d.error.message, v: d.error.verdict, c: String(d.error.cause) });
    expect(shown).not.toContain(key);
    expect(d.error.message).toContain('unauthorized (HTTP 401)');
  });

  it('bad history is a clear error naming the field', () => {
    const { policy } = setup();
    expect(() => policy.decide(http(503), { attempt: 0, startedAt: 0 })).toThrow(
      'steady: decide(): history.attempt must be an integer >= 1, got 0',
    );
    expect(() => policy.decide(http(503), { attempt: 1 } as never)).toThrow(
      'steady: decide(): history.startedAt must be a clock time in milliseconds, got undefined',
    );
    expect(() => policy.decide(http(503), undefined as never)).toThrow(/history must be/);
  });
});
