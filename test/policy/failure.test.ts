import { describe, expect, it } from 'vitest';
import {
  constant,
  createPolicy,
  FatalError,
  type Limiter,
  QueueFullError,
  RetriesExhaustedError,
} from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* How a call ends in failure (policy/failure.ts): what the caller gets, what the fail event says, once. */

const http503 = (body?: unknown) => ({ status: 503, headers: {}, body });

/** A Limiter of your own: admits `admits` times at once, then rejects with `err` (or waits, rejecting its own error on abort). */
function ownLimiter(o: { admits?: number; err?: unknown } = {}) {
  let left = o.admits ?? 0;
  const asked: number[] = [];
  const limiter: Limiter = {
    acquire(_cost, options) {
      asked.push(asked.length + 1);
      if (left-- > 0) return Promise.resolve({ commit() {}, refund() {} });
      if (o.err !== undefined) return Promise.reject(o.err);
      return new Promise((_, reject) =>
        options?.signal?.addEventListener('abort', () => reject(new Error("the limiter's own abort error"))),
      );
    },
    pause() {},
  };
  return { limiter, asked };
}

describe('a limiter refusal', () => {
  it("the caller's abort while waiting in the limiter: the caller's reason, not the limiter's error", async () => {
    const { limiter } = ownLimiter();
    const policy = createPolicy({ limiter });
    const caller = new AbortController();
    const done = policy.run(() => 'never', { signal: caller.signal }).catch((e: unknown) => e);
    const reason = new Error('user left');
    caller.abort(reason);
    expect(await done).toBe(reason);
  });

  it('a steady error from your limiter before any attempt reaches the caller as it is', async () => {
    const full = new QueueFullError('steady: full');
    const policy = createPolicy({ limiter: ownLimiter({ err: full }).limiter });
    await expect(policy.run(() => 'never')).rejects.toBe(full);
  });

  it("the fail event carries the verdict of your limiter's steady error", async () => {
    const verdict = { action: 'retry', reason: 'rate-limited', status: 429 } as const;
    const paused = new RetriesExhaustedError('steady: paused', {
      cause: undefined,
      verdict,
      attempts: 0,
      stoppedBy: 'maxRetryAfterMs',
    });
    const policy = createPolicy({ limiter: ownLimiter({ err: paused }).limiter });
    const shown: unknown[] = [];
    policy.on('fail', (e) => shown.push(e.verdict));
    await expect(policy.run(() => 'never')).rejects.toBe(paused);
    expect(shown).toEqual([verdict]);
  });

  it('whatever your limiter rejects with reaches the caller as it is, even undefined', async () => {
    const limiter: Limiter = { acquire: () => Promise.reject(undefined), pause() {} };
    const policy = createPolicy({ limiter });
    const seen: unknown[] = [];
    policy.on('fail', (e) => seen.push(e.verdict));
    await expect(policy.run(() => 'never')).rejects.toBeUndefined();
    expect(seen).toEqual([undefined]);
  });

  it('any other error from your limiter on a retry reaches the caller as it is', async () => {
    const clock = testClock();
    const down = new Error('the store is down');
    const policy = createPolicy({
      clock,
      limiter: ownLimiter({ admits: 1, err: down }).limiter,
      retry: { backoff: constant(10) },
    });
    const done = policy.run(() => Promise.reject(http503())).catch((e: unknown) => e);
    await clock.runAllAsync();
    expect(await done).toBe(down);
  });
});

describe('an abort during the wait before a retry', () => {
  it('ends the call at once: one attempt, the limiter asked once, a fail event with the last verdict and the time since the start', async () => {
    const clock = testClock(1_000_000);
    const { limiter, asked } = ownLimiter({ admits: 5 });
    const policy = createPolicy({ clock, limiter, retry: { backoff: constant(100) } });
    const attempts: number[] = [];
    const fails: { attempts: number; elapsedMs: number; error: unknown; verdict?: unknown }[] = [];
    policy.on('attempt', (e) => attempts.push(e.attempt));
    policy.on('fail', (e) => fails.push(e));
    const caller = new AbortController();
    const done = policy
      .run(() => Promise.reject(http503()), { signal: caller.signal })
      .catch((e: unknown) => e);
    await clock.tickAsync(40);
    const reason = new Error('user left');
    caller.abort(reason);
    expect(await done).toBe(reason);
    await clock.runAllAsync();
    expect(attempts).toEqual([1]);
    expect(asked).toEqual([1]);
    expect(fails).toHaveLength(1);
    expect(fails[0]).toMatchObject({
      attempts: 1,
      elapsedMs: 40,
      error: reason,
      verdict: { action: 'retry', reason: 'server-error', status: 503 },
    });
  });

  it("the fail event's verdict is scrubbed of the call's secrets", async () => {
    const clock = testClock();
    const key = 'sk-live-0123456789abcdef';
    const policy = createPolicy({ clock, retry: { backoff: constant(100) } });
    const shown: unknown[] = [];
    policy.on('fail', (e) => shown.push(e.verdict));
    const caller = new AbortController();
    const done = policy
      .run(() => Promise.reject(http503({ message: `upstream rejected ${key}` })), {
        signal: caller.signal,
        secrets: [key],
      })
      .catch((e: unknown) => e);
    await clock.tickAsync(10);
    caller.abort(new Error('user left'));
    await done;
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(shown[0])).not.toContain(key);
    expect(shown[0]).toMatchObject({ reason: 'server-error', status: 503 });
  });
});

describe('the fail event', () => {
  it('is emitted once for a call that fails at once', async () => {
    const policy = createPolicy({});
    let fails = 0;
    policy.on('fail', () => fails++);
    await expect(policy.run(() => Promise.reject({ status: 401, headers: {} }))).rejects.toBeInstanceOf(
      FatalError,
    );
    expect(fails).toBe(1);
  });
});

describe("an error whose Response body is unread (ky's HTTPError)", () => {
  const kyError = (response: Response) => Object.assign(new Error('Request failed'), { response });
  /** A 400 whose body sends its first bytes and then hangs. */
  const hanging = () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"message":"too many'));
        },
      }),
      { status: 400 },
    );

  it("is classified with the body's message", async () => {
    const policy = createPolicy({});
    const err = await policy
      .run(() => Promise.reject(kyError(new Response('{"message":"too many tokens"}', { status: 400 }))))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).message).toBe('steady: invalid-request (HTTP 400): too many tokens');
  });

  it('a body that hangs is read until the deadline, then the call ends', async () => {
    const clock = testClock(1_000_000);
    const policy = createPolicy({ clock, retry: { maxElapsedMs: 300 } });
    let endedAt: number | undefined;
    const done = policy
      .run(() => Promise.reject(kyError(hanging())))
      .catch((e: unknown) => {
        endedAt = clock.now();
        return e;
      });
    await clock.tickAsync(299);
    expect(endedAt).toBeUndefined();
    await clock.tickAsync(1);
    await done;
    expect(endedAt).toBe(1_000_300);
  });

  it('…or until attemptTimeoutMs, when that comes first', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxElapsedMs: 10_000, attemptTimeoutMs: 100 } });
    let endedAt: number | undefined;
    const done = policy
      .run(() => Promise.reject(kyError(hanging())))
      .catch((e: unknown) => {
        endedAt = clock.now();
        return e;
      });
    await clock.tickAsync(100);
    await done;
    expect(endedAt).toBe(100);
  });

  it("the caller's abort while the body is read ends the call with the caller's reason", async () => {
    const clock = testClock();
    const policy = createPolicy({ clock });
    const caller = new AbortController();
    const done = policy
      .run(() => Promise.reject(kyError(hanging())), { signal: caller.signal })
      .catch((e: unknown) => e);
    await clock.tickAsync(10);
    const reason = new Error('user left');
    caller.abort(reason);
    expect(await done).toBe(reason);
  });
});
