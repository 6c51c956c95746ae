import { describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import {
  type BudgetEvent,
  constant,
  createPolicy,
  type PolicyOptions,
  RetriesExhaustedError,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';
import { startScriptedServer } from '../helpers/scripted-server.js';

const unavailable = () => Object.assign(new Error('unavailable'), { status: 503 });

/** A server that is down while `down.value` is true: every attempt fails with a 503. */
function server() {
  const state = { down: true, attempts: 0 };
  const fn = async () => {
    state.attempts++;
    if (state.down) throw unavailable();
    return 'ok';
  };
  return { state, fn };
}

/** `n` concurrent calls through `policy`, driven to the end on the test clock; what each call ended with. */
async function wave(
  policy: ReturnType<typeof createPolicy>,
  clock: ReturnType<typeof testClock>,
  fn: () => Promise<string>,
  n: number,
) {
  const calls = Array.from({ length: n }, () => policy.run(fn).catch((e: unknown) => e));
  await clock.runAllAsync();
  return Promise.all(calls);
}

function outagePolicy(extra: PolicyOptions = {}) {
  const clock = testClock();
  const events: BudgetEvent[] = [];
  const policy = createPolicy({
    clock,
    retry: { maxAttempts: 4, backoff: constant(1_000) },
    on: { budget: (e) => events.push(e) },
    ...extra,
  });
  return { clock, policy, events };
}

describe('the retry budget', () => {
  it('total outage, 1,000 callers, maxAttempts 4: 1,100 attempts (1.1 a call) instead of 4,000', async () => {
    const { clock, policy, events } = outagePolicy();
    const { state, fn } = server();
    const results = await wave(policy, clock, fn, 1_000);

    // 500 tokens / 5 a retry = 100 retries for the whole policy, then none.
    expect(state.attempts).toBe(1_100);
    expect(state.attempts / 1_000).toBeLessThanOrEqual(1.2);
    expect(results.every((e) => e instanceof RetriesExhaustedError && e.stoppedBy === 'budget')).toBe(true);
    const byAttempts = new Map<number, number>();
    for (const e of results as RetriesExhaustedError[])
      byAttempts.set(e.attempts, (byAttempts.get(e.attempts) ?? 0) + 1);
    expect(Object.fromEntries(byAttempts)).toEqual({ 1: 900, 2: 100 });
    expect(events).toEqual([{ state: 'exhausted', tokens: 0, maxTokens: 500 }]);
    expect(clock.pending).toBe(0);
  });

  it('turned off (budget: false), the same outage makes 4,000 attempts', async () => {
    const { clock, policy } = outagePolicy({ budget: false });
    const { state, fn } = server();
    const results = await wave(policy, clock, fn, 1_000);
    expect(state.attempts).toBe(4_000);
    expect(results.every((e) => e instanceof RetriesExhaustedError && e.stoppedBy === 'maxAttempts')).toBe(
      true,
    );
  });

  it('a retry after a timeout costs 10: a timeout outage is 50 retries', async () => {
    const { clock, policy } = outagePolicy({
      retry: { maxAttempts: 4, attemptTimeoutMs: 2_000, backoff: constant(1_000) },
    });
    let attempts = 0;
    const hang = ({ signal }: { signal: AbortSignal }) =>
      new Promise<string>((_, reject) => {
        attempts++;
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const calls = Array.from({ length: 1_000 }, () => policy.run(hang).catch((e: unknown) => e));
    await clock.runAllAsync();
    const results = await Promise.all(calls);
    expect(attempts).toBe(1_050);
    expect(results.every((e) => e instanceof RetriesExhaustedError && e.stoppedBy === 'budget')).toBe(true);
    expect((results[999] as Error).message).toBe(
      'steady: the retry budget is spent (0 of 500 tokens left, a retry costs 10; successes refill it), gave up after 1 attempt: timeout',
    );
  });

  it('says the budget stopped it, in the message and in stoppedBy', async () => {
    const { clock, policy } = outagePolicy({ budget: { maxTokens: 5 } });
    const { fn } = server();
    const [first, second] = await wave(policy, clock, fn, 2);
    // The first call's first retry took the 5 tokens; its second retry and the second call's first could not be paid.
    expect((first as RetriesExhaustedError).attempts).toBe(2);
    expect(second).toBeInstanceOf(RetriesExhaustedError);
    expect((second as RetriesExhaustedError).stoppedBy).toBe('budget');
    expect((second as Error).message).toBe(
      'steady: the retry budget is spent (0 of 5 tokens left, a retry costs 5; successes refill it), gave up after 1 attempt: server-error (HTTP 503)',
    );
  });

  it('recovers fully once the server does: retries again after 5 successes, recovered at 250, full at 500', async () => {
    const { clock, policy, events } = outagePolicy();
    const { state, fn } = server();
    await wave(policy, clock, fn, 1_000); // drained: 0 tokens
    state.down = false;

    // Four successes give 4 tokens: a retry (5) cannot be paid yet.
    await wave(policy, clock, fn, 4);
    state.down = true;
    const refused = await wave(policy, clock, fn, 1);
    expect((refused[0] as RetriesExhaustedError).stoppedBy).toBe('budget');
    // One more success: 5 tokens, one retry.
    state.down = false;
    await wave(policy, clock, fn, 1);
    let failedOnce = 0;
    const flaky = async () => {
      if (failedOnce++ === 0) throw unavailable();
      return 'ok';
    };
    await expect(wave(policy, clock, flaky, 1)).resolves.toEqual(['ok']);

    // That retry spent the 5 and its success gave 1 back; 249 more successes bring it to half: recovered.
    await wave(policy, clock, fn, 248);
    expect(events.map((e) => e.state)).toEqual(['exhausted']);
    await wave(policy, clock, fn, 1);
    expect(events).toEqual([
      { state: 'exhausted', tokens: 0, maxTokens: 500 },
      { state: 'recovered', tokens: 250, maxTokens: 500 },
    ]);

    // 250 more: full. A second outage then gets the whole budget again: 100 retries.
    await wave(policy, clock, fn, 250);
    state.down = true;
    state.attempts = 0;
    await wave(policy, clock, fn, 1_000);
    expect(state.attempts).toBe(1_100);
    expect(events.map((e) => e.state)).toEqual(['exhausted', 'recovered', 'exhausted']);
  });

  it('never holds back a healthy service: 10,000 calls, one in ten failing once, all retried and all succeed', async () => {
    const { clock, policy, events } = outagePolicy();
    let n = 0;
    let attempts = 0;
    const sometimes = async ({ attempt }: { attempt: number }) => {
      attempts++;
      if (attempt === 1 && n++ % 10 === 0) throw unavailable();
      return 'ok';
    };
    for (let batch = 0; batch < 10; batch++) {
      const results = await wave(policy, clock, sometimes as never, 1_000);
      expect(results.every((r) => r === 'ok')).toBe(true);
    }
    expect(attempts).toBe(11_000);
    expect(events).toEqual([]);
  });

  it('lets the lone call of a fresh policy use all its attempts', async () => {
    const { clock, policy } = outagePolicy();
    let attempts = 0;
    const thirdTime = async () => {
      if (++attempts < 4) throw unavailable();
      return 'ok';
    };
    await expect(wave(policy, clock, thirdTime, 1)).resolves.toEqual(['ok']);
    expect(attempts).toBe(4);
  });

  it('is not spent by policy.retryDelay (p-retry and Bottleneck run their own calls and never report successes)', async () => {
    const { clock, policy } = outagePolicy({ budget: { maxTokens: 5 } });
    const verdict = policy.classify(unavailable());
    for (let i = 0; i < 10; i++) expect(policy.retryDelay(verdict, 1)).toBe(1_000);
    let attempts = 0;
    const once = async () => {
      if (++attempts === 1) throw unavailable();
      return 'ok';
    };
    await expect(wave(policy, clock, once, 1)).resolves.toEqual(['ok']);
  });
});

describe('the retry budget through steadyFetch, against a local server that is down', () => {
  it('50 callers, a 50-token budget: 60 requests reach the server, not 200', async () => {
    const srv = await startScriptedServer();
    try {
      srv.reply(...Array.from({ length: 300 }, () => ({ status: 503, body: { message: 'down' } })));
      const policy = createPolicy({
        retry: { maxAttempts: 4, backoff: constant(0) },
        budget: { maxTokens: 50 },
      });
      const fetch = steadyFetch(policy);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${srv.url}/v2/chat`).catch((e: unknown) => e)),
      );
      expect(srv.requests).toHaveLength(60);
      expect(results.every((e) => e instanceof RetriesExhaustedError)).toBe(true);
      // Which callers got the 10 retries depends on the order the responses come back in: a caller
      // may use all its attempts before others have failed once. Every other caller was stopped by
      // the budget, and the attempts add up to the requests.
      const ended = results as RetriesExhaustedError[];
      for (const e of ended) {
        if (e.stoppedBy !== 'budget')
          expect({ stoppedBy: e.stoppedBy, attempts: e.attempts }).toEqual({
            stoppedBy: 'maxAttempts',
            attempts: 4,
          });
      }
      expect(ended.reduce((n, e) => n + e.attempts, 0)).toBe(60);
      expect(ended.filter((e) => e.stoppedBy === 'budget').length).toBeGreaterThanOrEqual(47);
    } finally {
      await srv.close();
    }
  });
});

describe('stoppedBy, when the budget did not stop it', () => {
  it('is maxAttempts when the attempts ran out, maxRetryAfterMs when the hint was too long', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxAttempts: 2, backoff: constant(10), maxRetryAfterMs: 1_000 },
    });
    const counted = policy.run(() => Promise.reject(unavailable())).catch((e: unknown) => e);
    const hinted = policy
      .run(() =>
        Promise.reject(
          Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '60' } }),
        ),
      )
      .catch((e: unknown) => e);
    await clock.runAllAsync();
    expect(await counted).toMatchObject({
      name: 'RetriesExhaustedError',
      stoppedBy: 'maxAttempts',
      attempts: 2,
    });
    expect(await hinted).toMatchObject({
      name: 'RetriesExhaustedError',
      stoppedBy: 'maxRetryAfterMs',
      attempts: 1,
    });
  });
});
