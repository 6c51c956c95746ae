import { describe, expect, it } from 'vitest';
import { createLimiter, createPolicy, exponential, type Limiter } from '../../src/index.js';
import { addAround, internalsOf } from '../../src/policy/around.js';
import { testClock } from '../../src/testing.js';

/* The Policy object's own methods (policy/policy.ts) and the defaults resolve.ts fills in. */

const http = (status: number) => ({ status, headers: {} });

function recordingLimiter() {
  const costs: unknown[] = [];
  const limiter: Limiter = {
    acquire: async (cost) => {
      costs.push({ ...cost });
      return { commit() {}, refund() {} };
    },
    pause() {},
  };
  return { limiter, costs };
}

describe('policy.wrap', () => {
  it("runs the function with its arguments, reserving the estimate of its first argument; wrap's tokens win", async () => {
    const { limiter, costs } = recordingLimiter();
    const policy = createPolicy({ limiter, estimate: (req) => (req as { n: number }).n * 10 });
    const add = policy.wrap(async (req: { n: number }, extra: number) => req.n + extra);
    expect(await add({ n: 4 }, 1)).toBe(5);
    const fixed = policy.wrap(async (req: { n: number }) => req.n, { tokens: 7 });
    expect(await fixed({ n: 4 })).toBe(4);
    expect(costs).toEqual([
      { calls: 1, tokens: 40 },
      { calls: 1, tokens: 7 },
    ]);
  });

  it('instrumented, a wrapped call runs inside the around', async () => {
    const policy = createPolicy({});
    const seen: string[] = [];
    addAround(internalsOf(policy)!, {
      call: (_o, run) => {
        seen.push('call');
        return run();
      },
      attempt: (n, run) => {
        seen.push(`attempt ${n}`);
        return run();
      },
    });
    expect(await policy.wrap(async (x: number) => x * 2)(21)).toBe(42);
    expect(seen).toEqual(['call', 'attempt 1']);
  });
});

describe('policy.estimate and policy.usage', () => {
  it("answer the preset's readers, undefined when a reader throws or there is none", () => {
    const policy = createPolicy({
      estimate: (req) => {
        if (req === 'bad') throw new Error('unreadable');
        return 12;
      },
      usage: (res) => {
        if (res === 'bad') throw new Error('unreadable');
        return { tokens: 34 };
      },
    });
    expect(policy.estimate('req')).toBe(12);
    expect(policy.estimate('bad')).toBeUndefined();
    expect(policy.usage('res')).toEqual({ tokens: 34 });
    expect(policy.usage('bad')).toBeUndefined();
    const bare = createPolicy({});
    expect(bare.estimate('req')).toBeUndefined();
    expect(bare.usage('res')).toBeUndefined();
  });
});

describe('policy.recordSuccess', () => {
  it('refills the retry budget by one: 5 successes pay for the next retry (it costs 5)', () => {
    const policy = createPolicy({ budget: { maxTokens: 10 }, retry: { maxAttempts: 100 } });
    policy.decide(http(503), { attempt: 1, startedAt: 0 });
    policy.decide(http(503), { attempt: 1, startedAt: 0 }); // 10 - 5 - 5 = 0 left
    for (let i = 0; i < 4; i++) policy.recordSuccess();
    expect(policy.decide(http(503), { attempt: 1, startedAt: 0 }).action).toBe('fail'); // 4 < 5
    policy.recordSuccess();
    expect(policy.decide(http(503), { attempt: 1, startedAt: 0 }).action).toBe('retry'); // 5
  });

  it('does nothing without a budget', () => {
    expect(() => createPolicy({ budget: false }).recordSuccess()).not.toThrow();
  });
});

describe('the settings a policy shows adapters', () => {
  it('retrySettings and classifySettings, frozen', () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxAttempts: 3, maxElapsedMs: 9_000 },
      classify: { maxBodyBytes: 512 },
    });
    expect(policy.retrySettings).toEqual({ maxAttempts: 3, maxElapsedMs: 9_000, clock });
    expect(Object.isFrozen(policy.retrySettings)).toBe(true);
    expect(policy.classifySettings).toEqual({ maxBodyBytes: 512 });
    expect(Object.isFrozen(policy.classifySettings)).toBe(true);
  });

  it('policy.retryDelay answers the wait in ms', () => {
    const policy = createPolicy({ retry: { backoff: exponential({ baseMs: 100, jitter: 'none' }) } });
    expect(policy.retryDelay({ action: 'retry', reason: 'server-error' }, 2)).toBe(200);
  });
});

describe('defaults and switches', () => {
  it('breaker: false never opens: after an account-wide 401 the next call still runs', async () => {
    for (const [breaker, secondRan] of [
      [false, true],
      [undefined, false],
    ] as const) {
      const policy = createPolicy({ breaker });
      let runs = 0;
      const fail401 = () => {
        runs++;
        return Promise.reject(http(401));
      };
      await policy.run(fail401).catch(() => {});
      await policy.run(fail401).catch(() => {});
      expect(runs === 2).toBe(secondRan);
    }
  });

  it('budget: false never stops a retry: 101 retries in a row (the default budget pays for 100)', () => {
    const off = createPolicy({ budget: false, retry: { maxAttempts: Number.POSITIVE_INFINITY } });
    const on = createPolicy({ retry: { maxAttempts: Number.POSITIVE_INFINITY } });
    const actions = (p: typeof on) =>
      Array.from({ length: 101 }, () => p.decide(http(503), { attempt: 1, startedAt: 0 }).action);
    expect(actions(off).every((a) => a === 'retry')).toBe(true);
    const withBudget = actions(on);
    expect(withBudget.slice(0, 100).every((a) => a === 'retry')).toBe(true);
    expect(withBudget[100]).toBe('fail');
  });

  it('a rule that answers no Verdict is named by the option it came from: rules[i] or classifier[i]', () => {
    const policy = createPolicy({ rules: [() => undefined], classifier: [() => 5 as never] });
    expect(() => policy.classify(http(503))).toThrow(/^steady: classifier\[0\] returned 5,/);
    const own = createPolicy({ rules: [() => undefined, () => 5 as never] });
    expect(() => own.classify(http(503))).toThrow(/^steady: rules\[1\] returned 5,/);
  });

  it('a limit learned from the server replaces the policy limiter', async () => {
    const policy = createPolicy({
      serverLimits: () => [{ dimension: 'calls', limit: 10, remaining: 9, windowMs: 60_000 }],
    });
    expect(policy.limiter).toBeUndefined();
    await policy.run(() => ({ headers: { 'x-ratelimit-limit-requests': '10' } }));
    expect(policy.limiter).toBeDefined();
  });
});

describe('calls queued in the limiter', () => {
  it('a lower priority number goes first, whatever the order they came in; no priority is 0', async () => {
    const clock = testClock();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: 1_000 } }, clock });
    const policy = createPolicy({ clock, limiter });
    await policy.run(() => 'takes the slot');
    const order: string[] = [];
    const runs = [
      policy.run(() => order.push('5'), { priority: 5 }),
      policy.run(() => order.push('none')),
      policy.run(() => order.push('-1'), { priority: -1 }),
    ];
    await clock.tickAsync(10_000);
    await Promise.all(runs);
    expect(order).toEqual(['-1', 'none', '5']);
  });

  it('a call aborted in the middle of the queue takes no turn: the one behind it gets the next slot', async () => {
    const clock = testClock();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: 1_000 } }, clock });
    const policy = createPolicy({ clock, limiter });
    await policy.run(() => 'takes the slot');
    const ranAt: Record<string, number> = {};
    const leaving = new AbortController();
    const a = policy.run(() => (ranAt.a = clock.now()));
    const b = policy.run(() => (ranAt.b = clock.now()), { signal: leaving.signal }).catch((e: unknown) => e);
    const c = policy.run(() => (ranAt.c = clock.now()));
    leaving.abort(new Error('gone'));
    await clock.tickAsync(10_000);
    await Promise.all([a, b, c]);
    // One call a second: each slot 1 000 ms + the safety margin (1 % of the window, 10 ms) after the last.
    expect(ranAt).toEqual({ a: 1_010, c: 2_020 });
  });
});
