import pRetry from 'p-retry';
import sinon from 'sinon';
import { afterEach, describe, expect, it } from 'vitest';
import { pRetryOptions } from '../../src/adapters/p-retry/index.js';
import {
  type Clock,
  cohere,
  constant,
  createPolicy,
  exponential,
  type PolicyOptions,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/** An Error that carries what the classifier reads, as a fetch wrapper would throw it. */
const httpError = (status: number, headers: Record<string, string> = {}, body?: unknown) =>
  Object.assign(new Error(`HTTP ${status}`), { status, headers, body });

/** A p-retry input that throws the given errors in turn, then returns 'done'; records each attempt's clock time. */
function script(now: () => number, ...errors: unknown[]) {
  const times: number[] = [];
  const input = async () => {
    times.push(now());
    const next = errors[times.length - 1];
    if (next !== undefined) throw next;
    return 'done';
  };
  return { input, times };
}

/** A policy on a manual clock. */
function onTestClock(options: PolicyOptions = {}) {
  const clock = testClock();
  return { clock, policy: createPolicy({ ...options, clock }) };
}

afterEach(() => sinon.restore());

describe('pRetryOptions', () => {
  it("waits the 2 s of a 429's Retry-After (measured on sinon's fake timers and the system clock)", async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
    const policy = createPolicy({ ...cohere(), retry: { backoff: constant(10) } });
    const { input, times } = script(
      Date.now,
      httpError(429, { 'retry-after': '2' }, { message: 'rate limited' }),
    );
    const done = pRetry(input, pRetryOptions(policy));
    await fake.tickAsync(1_999);
    expect(times).toHaveLength(1);
    await fake.tickAsync(1);
    await expect(done).resolves.toBe('done');
    expect(times.map((t) => t - times[0]!)).toEqual([0, 2_000]);
  });

  it('does not retry a 400: one attempt, the original error, no wait', async () => {
    const { clock, policy } = onTestClock({ ...cohere() });
    const error = httpError(
      400,
      {},
      { message: 'invalid request: temperature must be between 0 and 1.0 inclusive.' },
    );
    const { input, times } = script(clock.now, error);
    const failed = pRetry(input, pRetryOptions(policy)).catch((e) => e);
    await clock.runAllAsync();
    expect(await failed).toBe(error);
    expect(times).toEqual([0]);
    expect(clock.pending).toBe(0);
  });

  it("waits the policy's backoff when there is no hint, and stops after maxAttempts", async () => {
    const { clock, policy } = onTestClock({
      retry: { maxAttempts: 4, backoff: exponential({ baseMs: 100, jitter: 'none' }) },
    });
    const errors = [503, 502, 500, 504].map((s) => httpError(s));
    const { input, times } = script(clock.now, ...errors);
    const failed = pRetry(input, pRetryOptions(policy)).catch((e) => e);
    await clock.runAllAsync();
    expect(await failed).toBe(errors[3]);
    expect(times).toEqual([0, 100, 300, 700]);
  });

  it('maps maxAttempts and maxElapsedMs, and switches off p-retry’s own wait', () => {
    const options = pRetryOptions(createPolicy({ retry: { maxAttempts: 6, maxElapsedMs: 30_000 } }));
    expect(options).toMatchObject({
      retries: 5,
      maxRetryTime: 30_000,
      minTimeout: 0,
      factor: 1,
      randomize: false,
    });
    expect(pRetryOptions(createPolicy()).maxRetryTime).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives up at once on a hint above maxRetryAfterMs', async () => {
    const { clock, policy } = onTestClock({ retry: { maxRetryAfterMs: 10_000, backoff: constant(1) } });
    const error = httpError(429, { 'retry-after': '30' });
    const { input, times } = script(clock.now, error);
    const failed = pRetry(input, pRetryOptions(policy)).catch((e) => e);
    await clock.runAllAsync();
    expect(await failed).toBe(error);
    expect(times).toHaveLength(1);
  });

  it('retries a network error (undici "fetch failed" TypeError with a cause code)', async () => {
    const { clock, policy } = onTestClock({ retry: { backoff: constant(50) } });
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    const { input, times } = script(clock.now, reset);
    const done = pRetry(input, pRetryOptions(policy));
    await clock.runAllAsync();
    await expect(done).resolves.toBe('done');
    expect(times).toEqual([0, 50]);
  });

  it("rejects with the signal's reason when it aborts during a wait, with no further attempt", async () => {
    const { clock, policy } = onTestClock({ retry: { backoff: constant(1_000) } });
    const ac = new AbortController();
    const { input, times } = script(clock.now, httpError(503));
    const failed = pRetry(input, pRetryOptions(policy, { signal: ac.signal })).catch((e) => e);
    await clock.tickAsync(400);
    const reason = new Error('user cancelled');
    ac.abort(reason);
    expect(await failed).toBe(reason);
    await clock.runAllAsync();
    expect(times).toEqual([0]);
  });

  it('lays overrides over: onFailedAttempt is called, a shouldRetry veto stops before any wait, retries can lower', async () => {
    const { clock, policy } = onTestClock({ retry: { backoff: constant(100) } });
    const seen: number[] = [];
    const vetoed = script(clock.now, httpError(503), httpError(503));
    const options = pRetryOptions(policy, {
      onFailedAttempt: (ctx) => void seen.push(ctx.attemptNumber),
      shouldRetry: (ctx) => ctx.attemptNumber < 2,
    });
    const failed = pRetry(vetoed.input, options).catch((e) => e);
    await clock.runAllAsync();
    expect(await failed).toMatchObject({ status: 503 });
    expect(vetoed.times).toEqual([0, 100]);
    expect(seen).toEqual([1, 2]);

    const lowered = script(clock.now, httpError(503), httpError(503));
    const failedToo = pRetry(lowered.input, pRetryOptions(policy, { retries: 1 })).catch((e) => e);
    await clock.runAllAsync();
    expect(await failedToo).toMatchObject({ status: 503 });
    expect(lowered.times).toHaveLength(2);
  });

  it("unrefs its wait's timer only with unref: true, as p-retry's own wait does", async () => {
    const base = testClock();
    const unrefs: number[] = [];
    const clock: Clock = {
      now: base.now,
      setTimeout: (fn, ms) => {
        const id = base.setTimeout(fn, ms) as number;
        return { id, unref: () => unrefs.push(id) };
      },
      clearTimeout: (handle) => base.clearTimeout((handle as { id: number }).id),
    };
    const policy = createPolicy({ clock, retry: { backoff: constant(100) } });
    for (const unref of [false, true]) {
      const done = pRetry(script(clock.now, httpError(503)).input, pRetryOptions(policy, { unref }));
      await base.runAllAsync();
      await expect(done).resolves.toBe('done');
    }
    expect(unrefs).toHaveLength(1);
  });

  it('Gotcha pinned: a thrown non-Error becomes a TypeError in p-retry and is not retried', async () => {
    const { clock, policy } = onTestClock({ retry: { backoff: constant(1) } });
    const { input, times } = script(clock.now, { status: 503 });
    const failed = pRetry(input, pRetryOptions(policy)).catch((e) => e);
    await clock.runAllAsync();
    expect(await failed).toBeInstanceOf(TypeError);
    expect(times).toHaveLength(1);
  });

  it('throws a TypeError naming itself when not given a policy', () => {
    expect(() => pRetryOptions({} as never)).toThrow(
      'steady: pRetryOptions(policy) needs a policy from createPolicy()',
    );
  });
});
