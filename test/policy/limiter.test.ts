import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import {
  constant,
  createLimiter,
  createPolicy,
  DeadlineExceededError,
  rawCause,
  type ThrottleEvent,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* The attempt loop and the limiter together: what each kind of failed attempt gives back. */

const W = 60_000;
function setup(calls = 2, tokens = 10_000) {
  const clock = testClock();
  const limiter = createLimiter({
    limits: { calls: { limit: calls, windowMs: W }, tokens: { limit: tokens, windowMs: W } },
    clock,
    safetyMarginMs: 0,
  });
  const throttled: ThrottleEvent[] = [];
  const policy = createPolicy({
    clock,
    limiter,
    retry: { backoff: constant(10), maxAttempts: 3 },
    on: { throttle: (e) => throttled.push(e) },
  });
  return { clock, limiter, policy, throttled };
}

describe('policy + limiter', () => {
  it('a 429 pauses every queued call, not only the one that failed', async () => {
    const { clock, policy, throttled } = setup(100);
    const started: Record<string, number[]> = { a: [], b: [] };
    let firstA = true;
    const a = policy.run(async () => {
      started.a!.push(clock.now());
      if (firstA) {
        firstA = false;
        throw {
          status: 429,
          headers: { 'retry-after': '5' },
          body: { message: 'Please wait and try again later' },
        };
      }
      return 'a';
    });
    await clock.tickAsync(1);
    const b = policy.run(async () => {
      started.b!.push(clock.now());
      return 'b';
    });
    await clock.runAllAsync();
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
    // b arrived during the 5 s pause and waited for it, although b itself never failed.
    expect(started.b![0]).toBeGreaterThanOrEqual(5_000);
    expect(throttled.find((e) => e.dimension === 'pause')).toBeTruthy();
  });

  it('admits at most the limit in a window and emits throttle events for those that waited', async () => {
    const { clock, policy, throttled } = setup(2);
    const at: number[] = [];
    const runs = Array.from({ length: 5 }, () => policy.run(async () => at.push(clock.now())));
    await clock.runAllAsync();
    await Promise.all(runs);
    expect(at).toEqual([0, 0, W, W, 2 * W]);
    expect(throttled.map((e) => e.dimension)).toEqual(['calls', 'calls', 'calls']);
    expect(throttled.map((e) => e.waitedMs)).toEqual([W, W, 2 * W]);
  });

  it('reconciles the token reservation with the usage the result reports', async () => {
    const { clock, limiter } = setup(100, 1_000);
    const policy = createPolicy({ clock, limiter, usage: (r) => ({ tokens: (r as { used: number }).used }) });
    await policy.run(async () => ({ used: 100 }), { tokens: 900 });
    // 900 were reserved, 100 used: 900 more fit at once.
    const t = clock.now();
    await policy.run(async () => ({ used: 900 }), { tokens: 900 });
    expect(clock.now()).toBe(t);
  });

  it('a refused connection gives everything back; a 503 still counts as a call', async () => {
    const { clock, policy } = setup(1);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const at: number[] = [];
    let n = 0;
    const done = policy.run(async () => {
      at.push(clock.now());
      if (n++ === 0) throw refused;
      return 'ok';
    });
    await clock.runAllAsync();
    await done;
    expect(at).toEqual([0, 10]); // the refused attempt did not use up the one call of the window

    const { clock: c2, policy: p2 } = setup(1);
    const at2: number[] = [];
    let m = 0;
    const done2 = p2.run(async () => {
      at2.push(c2.now());
      if (m++ === 0) throw { status: 503 };
      return 'ok';
    });
    await c2.runAllAsync();
    await done2;
    expect(at2).toEqual([0, W]); // the 503 was a call the server counted
  });

  it('an aborted queued call releases its place at once and rejects with the reason', async () => {
    const { clock, policy, limiter } = setup(1);
    await policy.run(async () => 1);
    const ac = new AbortController();
    const queued = policy.run(async () => 2, { signal: ac.signal });
    await clock.tickAsync(10);
    expect(limiter.queued).toBe(1);
    ac.abort(new Error('no longer needed'));
    await expect(queued).rejects.toThrow('no longer needed');
    expect(limiter.queued).toBe(0);
    expect(clock.pending).toBe(0);
  });
});

describe('policy + limiter: where a call runs', () => {
  it('a call admitted at once and a queued one both run in their caller’s async context', async () => {
    const { clock, limiter, policy } = setup(1);
    const als = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    policy.on('attempt', () => seen.push(`attempt:${als.getStore()}`));
    const job = async () => {
      seen.push(`fn:${als.getStore()}`);
      return 1;
    };
    const first = als.run('a', () => policy.run(job, { tokens: 100 }));
    const second = als.run('b', () => policy.run(job, { tokens: 100 }));
    expect(limiter.queued).toBe(1);
    await first;
    await clock.tickAsync(W);
    await second;
    expect(seen).toEqual(['attempt:a', 'fn:a', 'attempt:b', 'fn:b']);
    // Both reservations were settled: nothing is left pending in the store.
    expect((limiter.store as unknown as { pending: number }).pending).toBe(0);
  });

  it('a call admitted at once whose connection is refused gives its call back', async () => {
    const { clock, limiter, policy } = setup(1);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const calls: number[] = [];
    const done = policy
      .run(async () => {
        calls.push(clock.now());
        throw refused;
      })
      .catch(() => {});
    await clock.runAllAsync();
    await done;
    // One call a minute, yet each retry went 10 ms later: the refused attempts gave their call back.
    expect(calls.map((t) => t - calls[0]!)).toEqual([0, 10, 20]);
    expect(limiter.queued).toBe(0);
    expect((limiter.store as unknown as { pending: number }).pending).toBe(0);
  });
});

describe('policy + limiter: the deadline and errors', () => {
  it('maxElapsedMs: a call that cannot get in before its deadline is refused at once, not at the deadline', async () => {
    const clock = testClock();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: W } }, clock, safetyMarginMs: 0 });
    const patient = createPolicy({ clock, limiter });
    const hurried = createPolicy({ clock, limiter, retry: { maxElapsedMs: 1_000 } });
    await patient.run(async () => 1); // the window's one call is spent
    const head = patient.run(async () => 2); // waits a whole window, no deadline of its own
    let rejectedAt: number | undefined;
    const late = hurried
      .run(async () => 3)
      .catch((e) => {
        rejectedAt = clock.now();
        return e;
      });
    await clock.tickAsync(0);
    const err = await late;
    // The head is blocked for the whole window, past the 1 s deadline: known at once.
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(rejectedAt).toBe(0);
    expect(limiter.queued).toBe(1);
    await clock.runAllAsync();
    await expect(head).resolves.toBe(2);
  });

  it('maxElapsedMs: a queued call whose turn slips past its deadline (a pause came) is refused at the deadline', async () => {
    const clock = testClock();
    const limiter = createLimiter({
      limits: { calls: { limit: 1, windowMs: 500 } },
      clock,
      safetyMarginMs: 0,
    });
    const patient = createPolicy({ clock, limiter });
    const hurried = createPolicy({ clock, limiter, retry: { maxElapsedMs: 1_000 } });
    await patient.run(async () => 1); // the window's one call, back at 500
    const head = patient.run(async () => 2); // in at 500
    let rejectedAt: number | undefined;
    const late = hurried
      .run(async () => 3)
      .catch((e) => {
        rejectedAt = clock.now();
        return e;
      }); // in at 1,000: just in time, so it queues
    await clock.tickAsync(100);
    limiter.pause(5_000); // a 429 elsewhere: nothing gets in before 5,100
    await clock.tickAsync(899);
    expect(rejectedAt).toBeUndefined();
    await clock.tickAsync(1);
    expect(await late).toBeInstanceOf(DeadlineExceededError);
    expect(rejectedAt).toBe(1_000);
    expect(limiter.queued).toBe(1);
    await clock.runAllAsync();
    await expect(head).resolves.toBe(2);
    expect(clock.now()).toBe(5_100);
  });

  it('a limiter refusal on a retry keeps the call history: attempts, verdict, last error', async () => {
    const clock = testClock();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: W } }, clock, safetyMarginMs: 0 });
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 30_000, backoff: constant(10) } });
    const last = { status: 503 };
    const done = policy.run(async () => Promise.reject(last)).catch((e) => e);
    await clock.runAllAsync();
    const err = await done;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.attempts).toBe(1);
    expect(rawCause(err)).toBe(last);
    expect(err.cause).toEqual(last);
    expect(err.verdict).toMatchObject({ action: 'retry', reason: 'server-error' });
  });

  it('a reservation whose commit throws does not turn a success into a retry', async () => {
    const calls: number[] = [];
    const limiter = {
      acquire: async () => ({
        commit() {
          throw new Error('store down');
        },
        refund() {},
      }),
      pause() {},
    };
    const policy = createPolicy({ limiter });
    await expect(policy.run(async ({ attempt }) => calls.push(attempt))).resolves.toBe(1);
    expect(calls).toEqual([1]);
  });
});
