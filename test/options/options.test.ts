import { describe, expect, it } from 'vitest';
import { wrapClient } from '../../src/adapters/sdk/index.js';
import {
  cohere,
  constant,
  createLimiter,
  createPolicy,
  exponential,
  http,
  MemoryStore,
  type PolicyOptions,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';
import { attempt, type Lib, WRONG_OPTIONS } from './wrong-options.js';

const lib = {
  createPolicy,
  createLimiter,
  MemoryStore,
  exponential,
  constant,
  cohere,
  wrapClient,
  testClock,
} as unknown as Lib;

describe('every wrong option fails, naming it by its full path', () => {
  it('the list covers every level: well over a hundred rows', () => {
    expect(WRONG_OPTIONS.length).toBeGreaterThanOrEqual(109);
  });

  it.each(WRONG_OPTIONS.map((row) => [row.what, row] as const))('%s', async (_what, row) => {
    const result = await attempt(row, lib);
    expect(result).toMatchObject({ kind: 'named' });
    if (result.kind !== 'accepted') expect(result.message).toMatch(/^steady: /);
  });
});

describe('the messages', () => {
  it('suggest the nearest known name, at every level', () => {
    expect(() => createPolicy({ retry: { maxAttemps: 1 } } as never)).toThrow(
      new TypeError('steady: retry.maxAttemps is not an option of retry; did you mean maxAttempts?'),
    );
    expect(() =>
      createPolicy({ limits: { calls: { limit: 1, windowMs: 1 } }, limiter: { maxQueue: 1 } } as never),
    ).toThrow('steady: limiter.maxQueue is not an option of limiter; did you mean maxQueued?');
    expect(() => createPolicy({ breaker: { coolDownMs: 1 } } as never)).toThrow(
      'steady: breaker.coolDownMs is not an option of breaker; did you mean cooldownMs?',
    );
    expect(() => exponential({ bseMs: 1 } as never)).toThrow(
      'steady: exponential.bseMs is not an option of exponential; did you mean baseMs?',
    );
    expect(() => createPolicy({ retyr: {} } as never)).toThrow(
      'steady: retyr is not an option of createPolicy; did you mean retry?',
    );
    expect(() => createPolicy({ on: { retyr: () => {} } } as never)).toThrow(
      'steady: on.retyr is not an event; did you mean retry?',
    );
    expect(() => createPolicy().on('retyr' as never, () => {})).toThrow(
      "steady: policy.on('retyr') is not an event; did you mean retry?",
    );
    expect(() =>
      createLimiter({ limits: { calls: { limit: 1, windowMs: 1 } }, maxQueue: 1 } as never),
    ).toThrow('steady: maxQueue is not an option of createLimiter; did you mean maxQueued?');
  });

  it('list the known names when none is near', () => {
    expect(() => createPolicy({ breaker: { zzz: 1 } } as never)).toThrow(
      'steady: breaker.zzz is not an option of breaker; known: cooldownMs',
    );
  });

  it('say what was expected and what came, by type: never a long string, which could be a key', () => {
    expect(() => createPolicy({ retry: 'fast' } as never)).toThrow(
      new TypeError("steady: retry must be an object, got 'fast'"),
    );
    expect(() => createPolicy({ retry: { maxAttempts: 0 } })).toThrow(
      new RangeError('steady: retry.maxAttempts must be an integer >= 1 or Infinity, got 0'),
    );
    expect(() => createPolicy({ rules: (() => undefined) as never })).toThrow(
      'steady: rules must be an array of rules (functions), got a function',
    );
    expect(() => exponential(null as never)).toThrow('steady: exponential must be an object, got null');
    expect(() => cohere({ plan: 'sk-live-0123456789abcdefghij' as never })).toThrow(
      "steady: cohere.plan must be one of 'trial', 'production', got a string of 28 characters",
    );
    expect(() => createPolicy({ clock: { now: () => 0, setTimeout: () => 0 } as never })).toThrow(
      'steady: clock.clearTimeout must be a function (clock must be a Clock with now(), setTimeout(), clearTimeout())',
    );
  });
});

describe('a rule that returns something that is not a Verdict', () => {
  it('rejects the call, settled, naming the rule by its option and index and what it returned', async () => {
    const clock = testClock();
    const fails: unknown[] = [];
    const policy = createPolicy({
      rules: [() => undefined, () => ({ action: 'retry', reason: 'flaky' }) as never],
      classifier: http().classifier,
      clock,
      on: { fail: (e) => fails.push(e.error) },
    });
    const err = await policy
      .run(() => Promise.reject(Object.assign(new Error('boom'), { status: 503 })))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(
      "steady: rules[1] returned { action: 'retry', reason: 'flaky' }, which is not a Verdict: return undefined to abstain, { action: 'ok' }, { action: 'retry', reason } or { action: 'fail', reason, scope }",
    );
    expect(fails).toEqual([err]);
    expect(clock.pending).toBe(0);
  });

  it('names a preset rule as classifier[i]', () => {
    const policy = createPolicy({
      rules: [() => undefined],
      classifier: [() => undefined, () => 'ok' as never],
    });
    expect(() => policy.classify({ status: 500 })).toThrow(
      "steady: classifier[1] returned 'ok', which is not a Verdict",
    );
  });

  it('reads a fail verdict without scope as scope request', () => {
    const policy = createPolicy({ rules: [() => ({ action: 'fail', reason: 'forbidden' }) as never] });
    expect(policy.classify({ status: 403 })).toEqual({
      action: 'fail',
      reason: 'forbidden',
      scope: 'request',
      status: 403,
    });
  });
});

describe('a custom limiter is checked on use', () => {
  it('an acquire that returns a non-promise rejects the call with a clear TypeError', async () => {
    let calls = 0;
    const policy = createPolicy({
      limiter: { acquire: () => ({ commit() {}, refund() {} }) as never, pause() {} },
    });
    await expect(policy.run(() => ++calls)).rejects.toThrow(
      new TypeError('steady: limiter.acquire() must return a promise of a reservation, got an object'),
    );
    expect(calls).toBe(0);
  });
});

describe('every right option is still accepted', () => {
  const limits = { calls: { limit: 40, windowMs: 60_000 }, tokens: { limit: 100_000, windowMs: 60_000 } };
  const all: PolicyOptions = {
    ...cohere({ plan: 'trial' }),
    rules: [() => undefined],
    retry: {
      maxAttempts: 6,
      maxElapsedMs: 120_000,
      attemptTimeoutMs: 10_000,
      backoff: exponential({ baseMs: 250, maxMs: 10_000, factor: 3, jitter: 'decorrelated' }),
      maxRetryAfterMs: 30_000,
    },
    limits,
    limiter: { algorithm: 'bucket', maxQueued: 100, safetyMarginMs: 200, onThrottle: () => {} },
    breaker: { cooldownMs: 10_000 },
    budget: { maxTokens: 100, retryCost: 2, timeoutCost: 4 },
    clock: testClock(),
    random: { next: () => 0.5 },
    on: {
      attempt: () => {},
      retry: () => {},
      success: () => {},
      fail: () => {},
      throttle: () => {},
      breaker: () => {},
      budget: () => {},
    },
  };

  it.each([
    ['no options', undefined],
    ['empty options', {}],
    ['every option at once', all],
    ['a preset alone', cohere()],
    ['limits: {} (no limiter)', { limits: {} }],
    ['breaker and budget off', { breaker: false, budget: false }],
    [
      'Infinity attempts with a deadline',
      { retry: { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: 1_000 } },
    ],
    ['undefined values', { retry: { maxAttempts: undefined }, on: { retry: undefined } }],
    ['a custom limiter', { limiter: { acquire: async () => ({ commit() {}, refund() {} }), pause() {} } }],
    ['a limiter from createLimiter', { limiter: createLimiter({ limits }) }],
    ['a constant backoff', { retry: { backoff: constant(1_000) } }],
  ])('%s', (_what, options) => {
    const policy = createPolicy(options as PolicyOptions);
    for (const event of ['attempt', 'retry', 'success', 'fail', 'throttle', 'breaker', 'budget'] as const)
      policy.on(event, () => {})();
  });

  it('and the same for the limiter, the store, the backoffs, the preset and the SDK adapter', () => {
    expect(() =>
      createLimiter({
        limits,
        algorithm: 'rolling',
        maxQueued: Number.POSITIVE_INFINITY,
        clock: testClock(),
      }),
    ).not.toThrow();
    expect(() =>
      createLimiter({ limits, store: new MemoryStore({ limits, algorithm: 'bucket', safetyMarginMs: 0 }) }),
    ).not.toThrow();
    expect(() => exponential({ jitter: 'none' })).not.toThrow();
    expect(() => constant(0)).not.toThrow();
    expect(() => cohere({ plan: 'production' })).not.toThrow();
    expect(() => wrapClient({}, createPolicy(), { methods: () => true, args: false })).not.toThrow();
  });
});
