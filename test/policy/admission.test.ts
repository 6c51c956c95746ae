import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import {
  constant,
  createLimiter,
  createPolicy,
  DeadlineExceededError,
  type Limiter,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/*
 * A Limiter of your own under a policy (policy/admission.ts): what its acquire is asked for, which of
 * commit / refund / cancel a failed attempt calls, how the call's deadline bounds the wait, and how a
 * limiter that breaks its contract is reported.
 */

type Settled = 'commit' | 'refund' | 'cancel';

/** A limiter that admits at once (or never, `hold`), recording what it is asked and how each reservation ends. */
function recordingLimiter(o: { cancel?: boolean; hold?: boolean; tryAcquire?: boolean } = {}) {
  const asked: { cost: unknown; options: Record<string, unknown> }[] = [];
  const settled: Settled[] = [];
  const pauses: unknown[][] = [];
  const reservation = () => ({
    commit: () => settled.push('commit'),
    refund: () => settled.push('refund'),
    ...(o.cancel === false ? {} : { cancel: () => settled.push('cancel') }),
  });
  const limiter: Limiter = {
    acquire(cost, options) {
      asked.push({ cost: { ...cost }, options: { ...options } as Record<string, unknown> });
      if (!o.hold) return Promise.resolve(reservation());
      return new Promise((_, reject) => {
        options?.signal?.addEventListener('abort', () => reject(new Error('the wait was aborted')));
      });
    },
    pause: (...args) => {
      pauses.push(args);
    },
  };
  if (o.tryAcquire) limiter.tryAcquire = async () => ({ ok: true, reservation: reservation() });
  return { limiter, asked, settled, pauses };
}

const failWith = (error: unknown) => () => Promise.reject(error);
const coded = (code: string, status?: number) =>
  Object.assign(new Error(code), status === undefined ? { code } : { code, status });

describe('a failed attempt settles its reservation', () => {
  it.each([
    ['HTTP 503: the tokens back, the call counted', { status: 503, headers: {} }, 'refund'],
    ['HTTP 300', { status: 300, headers: {} }, 'refund'],
    ['HTTP 199', { status: 199, headers: {} }, 'refund'],
    [
      'HTTP 200 (dropped after a 2xx head): billed, the estimate stays',
      { status: 200, headers: {} },
      'commit',
    ],
    ['HTTP 299', { status: 299, headers: {} }, 'commit'],
    ['HTTP 503 with ECONNREFUSED: the status wins', coded('ECONNREFUSED', 503), 'refund'],
    ['ECONNREFUSED: never sent, everything back', coded('ECONNREFUSED'), 'cancel'],
    ['ENOTFOUND', coded('ENOTFOUND'), 'cancel'],
    ['EAI_AGAIN', coded('EAI_AGAIN'), 'cancel'],
    ['UND_ERR_CONNECT_TIMEOUT', coded('UND_ERR_CONNECT_TIMEOUT'), 'cancel'],
    ['ENETUNREACH', coded('ENETUNREACH'), 'cancel'],
    ['EHOSTUNREACH', coded('EHOSTUNREACH'), 'cancel'],
    ['ECONNRESET (mid-answer): the server may have billed it', coded('ECONNRESET'), 'commit'],
    ['an error with neither status nor code', new Error('boom'), 'commit'],
  ])('%s → %s', async (_, error, expected) => {
    const { limiter, settled } = recordingLimiter();
    const policy = createPolicy({ limiter, retry: { maxAttempts: 1 } });
    await expect(policy.run(failWith(error))).rejects.toBeDefined();
    expect(settled).toEqual([expected]);
  });

  it('ECONNREFUSED with a limiter that has no cancel(): commit', async () => {
    const { limiter, settled } = recordingLimiter({ cancel: false });
    const policy = createPolicy({ limiter, retry: { maxAttempts: 1 } });
    await expect(policy.run(failWith(coded('ECONNREFUSED')))).rejects.toBeDefined();
    expect(settled).toEqual(['commit']);
  });

  it('an attempt timeout: commit (the request was sent)', async () => {
    const clock = testClock();
    const { limiter, settled } = recordingLimiter();
    const policy = createPolicy({ clock, limiter, retry: { maxAttempts: 1, attemptTimeoutMs: 50 } });
    const done = policy.run(() => new Promise(() => {})).catch((e: unknown) => e);
    await clock.tickAsync(50);
    expect(await done).toMatchObject({ name: 'RetriesExhaustedError' });
    expect(settled).toEqual(['commit']);
  });
});

describe('what the limiter is asked for', () => {
  it('one call, the token estimate and the custom dimensions; no deadline without maxElapsedMs', async () => {
    const { limiter, asked } = recordingLimiter();
    const policy = createPolicy({ limiter });
    await policy.run(() => 'a');
    await policy.run(() => 'b', { tokens: 1_200, priority: 2 });
    await policy.run(() => 'c', { cost: { images: 2 } });
    await policy.run(() => 'd', { tokens: 300, cost: { images: 2, calls: 3 } });
    expect(asked.map((a) => a.cost)).toEqual([
      { calls: 1, tokens: 0 },
      { calls: 1, tokens: 1_200 },
      { calls: 1, tokens: 0, images: 2 },
      { calls: 3, tokens: 300, images: 2 },
    ]);
    // maxPauseMs is retry.maxRetryAfterMs (60 s by default); the caller's own signal, no deadline.
    expect(asked[1]!.options).toEqual({ signal: undefined, priority: 2, maxPauseMs: 60_000 });
  });

  it('with maxElapsedMs: the deadline, a signal of its own, and no timer left once admitted', async () => {
    const clock = testClock(1_000_000);
    const { limiter, asked } = recordingLimiter();
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 5_000, maxRetryAfterMs: 7_000 } });
    const caller = new AbortController();
    await policy.run(() => 'ok', { signal: caller.signal });
    const { options } = asked[0]!;
    expect(options).toMatchObject({ deadline: 1_005_000, maxPauseMs: 7_000 });
    expect(options.signal).toBeInstanceOf(AbortSignal);
    expect(options.signal).not.toBe(caller.signal);
    expect(clock.pending).toBe(0);
  });

  it("leaves no listener on the caller's signal once admitted: one signal can serve many calls", async () => {
    const clock = testClock();
    const { limiter } = recordingLimiter();
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 5_000 } });
    const shutdown = new AbortController();
    for (let i = 0; i < 3; i++) await policy.run(() => i, { signal: shutdown.signal });
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('a 429 pauses your limiter for the hint', async () => {
    const clock = testClock();
    const { limiter, pauses } = recordingLimiter();
    const policy = createPolicy({ clock, limiter, retry: { maxAttempts: 1 } });
    await expect(
      policy.run(failWith({ status: 429, headers: { 'retry-after': '2' } })),
    ).rejects.toBeDefined();
    expect(pauses).toEqual([[2_000, undefined]]);
  });
});

describe("the deadline bounds the limiter's wait", () => {
  it('a limiter that never admits: refused at the deadline exactly (not 1 ms before), the attempt never runs', async () => {
    const clock = testClock(1_000_000);
    const { limiter } = recordingLimiter({ hold: true });
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 500 } });
    let ran = false;
    let settledAt: number | undefined;
    const done = policy
      .run(() => {
        ran = true;
      })
      .catch((e: unknown) => {
        settledAt = clock.now();
        return e;
      });
    await clock.tickAsync(499);
    expect(settledAt).toBeUndefined();
    await clock.tickAsync(1);
    const err = (await done) as DeadlineExceededError;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.message).toBe(
      'steady: retry.maxElapsedMs (500 ms) exceeded after 0 attempts: the last attempt ran out of time',
    );
    expect(settledAt).toBe(1_000_500);
    expect(ran).toBe(false);
  });

  it("the caller's abort ends the wait at once, with the caller's reason", async () => {
    const clock = testClock();
    // One call a second: the second call would be admitted at 1 000, well before its deadline (10 000).
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: 1_000 } }, clock });
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 10_000 } });
    await policy.run(() => 'takes the one call');
    const caller = new AbortController();
    let settledAt: number | undefined;
    const done = policy
      .run(() => 'never', { signal: caller.signal })
      .catch((e: unknown) => {
        settledAt = clock.now();
        return e;
      });
    await clock.tickAsync(100);
    caller.abort(new Error('user left'));
    await clock.tickAsync(0);
    expect(await done).toMatchObject({ message: 'user left' });
    expect(settledAt).toBe(100);
  });

  it("a limiter's own error while waiting under a deadline reaches the caller as it is", async () => {
    const clock = testClock();
    const broken = new Error('the store is down');
    const limiter: Limiter = { acquire: () => Promise.reject(broken), pause() {} };
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 10_000 } });
    await expect(policy.run(() => 'never')).rejects.toBe(broken);
    expect(clock.pending).toBe(0);
  });

  it('a retry whose late timer lands exactly on the deadline is refused without asking the limiter', async () => {
    // A busy event loop: every timer fires 20 ms late. 503 at 0, a 100 ms wait (0 + 100 < 120, so
    // the retry is taken), which ends at 120: the deadline. The limiter is asked once, not twice.
    const base = testClock();
    const clock: Clock = {
      now: () => base.now(),
      setTimeout: (fn, ms) => base.setTimeout(fn, ms + 20),
      clearTimeout: (t) => base.clearTimeout(t),
    };
    const { limiter, asked } = recordingLimiter();
    const policy = createPolicy({ clock, limiter, retry: { maxElapsedMs: 120, backoff: constant(100) } });
    const done = policy.run(failWith({ status: 503, headers: {} })).catch((e: unknown) => e);
    await base.runAllAsync();
    const err = (await done) as DeadlineExceededError;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(base.now()).toBe(120);
    expect(asked).toHaveLength(1);
  });
});

describe('a Limiter of your own that breaks the contract', () => {
  const run = (acquire: () => unknown) =>
    createPolicy({ limiter: { acquire, pause() {} } as unknown as Limiter }).run(() => 'never');

  it('acquire() returning null, or no promise: a TypeError saying so', async () => {
    await expect(run(() => null)).rejects.toThrow(
      new TypeError('steady: limiter.acquire() must return a promise of a reservation, got null'),
    );
  });

  it.each([
    ['undefined', undefined],
    ['commit() only', { commit() {} }],
    ['refund() only', { refund() {} }],
  ])('a reservation with %s: a TypeError saying so', async (_, r) => {
    const shown = r === undefined ? 'undefined' : 'an object';
    await expect(run(() => Promise.resolve(r))).rejects.toThrow(
      new TypeError(
        `steady: limiter.acquire() must resolve to a reservation with commit() and refund(), got ${shown}`,
      ),
    );
  });
});

describe('policy.limiter.tryAcquire, for a Limiter of your own', () => {
  it('is there when yours has it (and answers what yours answers), absent when not', async () => {
    const withIt = createPolicy({ limiter: recordingLimiter({ tryAcquire: true }).limiter });
    const r = await withIt.limiter!.tryAcquire!({ calls: 1 });
    expect(r.ok).toBe(true);
    const without = createPolicy({ limiter: recordingLimiter().limiter });
    expect(without.limiter!.tryAcquire).toBeUndefined();
  });
});
