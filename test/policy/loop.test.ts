import sinon from 'sinon';
import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  constant,
  createPolicy,
  DeadlineExceededError,
  exponential,
  FatalError,
  RetriesExhaustedError,
  type RetryEvent,
  rawCause,
  SteadyError,
} from '../../src/index.js';
import { seededRandom, testClock } from '../../src/testing.js';

const http = (status: number, headers: Record<string, string> = {}, body?: unknown) => ({
  status,
  headers,
  body,
});

/** fn that throws the given outcomes in turn, then returns 'done'. */
function script(...outcomes: unknown[]) {
  const calls: { attempt: number; signal: AbortSignal }[] = [];
  const fn = async ({ attempt, signal }: { attempt: number; signal: AbortSignal }) => {
    calls.push({ attempt, signal });
    const next = outcomes[calls.length - 1];
    if (next !== undefined) throw next;
    return 'done';
  };
  return { fn, calls };
}

describe('the attempt loop', () => {
  it('returns the value of a first attempt that succeeds, with one attempt and one success event', async () => {
    const events: string[] = [];
    const policy = createPolicy({
      on: { attempt: () => events.push('attempt'), success: (e) => events.push(`success:${e.attempts}`) },
    });
    await expect(policy.run(async ({ attempt }) => attempt * 10)).resolves.toBe(10);
    expect(events).toEqual(['attempt', 'success:1']);
  });

  it('waits exactly the full-jitter delays its Random draws, then succeeds', async () => {
    const clock = testClock();
    const draws = [0.5, 0.25, 0.8];
    const policy = createPolicy({
      clock,
      random: { next: () => draws.shift()! },
      retry: { maxAttempts: 4, backoff: exponential({ baseMs: 100, maxMs: 250, jitter: 'full' }) },
    });
    const { fn, calls } = script(http(503), http(502), http(500));
    const retries: RetryEvent[] = [];
    policy.on('retry', (e) => retries.push(e));
    const times: number[] = [];
    const done = policy.run(async (ctx) => {
      times.push(clock.now());
      return fn(ctx);
    });
    await clock.runAllAsync();
    await expect(done).resolves.toBe('done');

    // Nominal 100, 200, 250 (capped); full jitter takes the draw's share: 50, 50, 200.
    expect(retries.map((e) => e.delayMs)).toEqual([50, 50, 200]);
    expect(retries.map((e) => e.verdict.reason)).toEqual(['server-error', 'server-error', 'server-error']);
    expect(times).toEqual([0, 50, 100, 300]);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect(clock.pending).toBe(0);
  });

  it('takes the server hint over a shorter backoff, adding no jitter to it', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, random: seededRandom(1), retry: { backoff: constant(200) } });
    const { fn } = script(http(429, { 'retry-after': '3' }), http(503, { 'retry-after-ms': '150' }));
    const delays: number[] = [];
    policy.on('retry', (e) => delays.push(e.delayMs));
    const done = policy.run(fn);
    await clock.runAllAsync();
    await done;
    // 3 s from Retry-After beats 200 ms of backoff; 200 ms of backoff beats a 150 ms hint.
    expect(delays).toEqual([3_000, 200]);
  });

  it('gives up at once, without sleeping, when the server asks for more than maxRetryAfterMs', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxRetryAfterMs: 60_000 } });
    const { fn, calls } = script(http(429, { 'retry-after': '3600' }));
    const err = await policy.run(fn).catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.code).toBe('ERR_RETRIES_EXHAUSTED');
    expect(err.message).toMatch(/3600000 ms.*maxRetryAfterMs/);
    expect(err.attempts).toBe(1);
    expect(calls).toHaveLength(1);
    expect(clock.now()).toBe(0);
  });

  it('never sleeps past maxElapsedMs: a wait that would cross the deadline fails at once', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxAttempts: 10, maxElapsedMs: 1_000, backoff: constant(600) },
    });
    const { fn, calls } = script(http(503), http(503), http(503));
    const done = policy.run(fn).catch((e) => e);
    await clock.runAllAsync();
    const err = await done;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.attempts).toBe(2);
    expect(calls).toHaveLength(2);
    // Failed at t=600 (second attempt), not after sleeping to 1,200.
    expect(clock.now()).toBe(600);
  });

  it("cuts the last attempt's timeout to what is left of the deadline", async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxElapsedMs: 1_000, attemptTimeoutMs: 5_000, backoff: constant(300) },
    });
    const signals: AbortSignal[] = [];
    const done = policy
      .run(({ signal, attempt }) => {
        signals.push(signal);
        if (attempt === 1) return Promise.reject(http(503));
        return new Promise(() => {}); // hangs, ignoring its signal
      })
      .catch((e) => e);
    await clock.runAllAsync();
    const err = await done;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(clock.now()).toBe(1_000);
    expect(signals[1]!.aborted).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('treats a per-attempt timeout as a retryable timeout and aborts that attempt', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { attemptTimeoutMs: 1_000, backoff: constant(10) } });
    const signals: AbortSignal[] = [];
    const reasons: string[] = [];
    policy.on('retry', (e) => reasons.push(e.verdict.reason));
    const done = policy.run(({ signal, attempt }) => {
      signals.push(signal);
      return attempt === 1 ? new Promise(() => {}) : 'second';
    });
    await clock.runAllAsync();
    await expect(done).resolves.toBe('second');
    expect(reasons).toEqual(['timeout']);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
  });

  it("rejects with the signal's own reason at once when aborted during the sleep, leaving no timer", async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { backoff: constant(10_000) } });
    const ac = new AbortController();
    const reason = new Error('user went away');
    policy.on('retry', () => queueMicrotask(() => ac.abort(reason)));
    const { fn, calls } = script(http(503));
    await expect(policy.run(fn, { signal: ac.signal })).rejects.toBe(reason);
    expect(calls).toHaveLength(1);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('rejects at once when aborted during an attempt that ignores its signal, and aborts that signal', async () => {
    const policy = createPolicy();
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    const done = policy.run(
      ({ signal }) => {
        seen = signal;
        return new Promise(() => {});
      },
      { signal: ac.signal },
    );
    ac.abort();
    const err: any = await done.catch((e) => e);
    expect(err).toBe(ac.signal.reason);
    expect(err.name).toBe('AbortError');
    expect(seen!.aborted).toBe(true);
  });

  it('rejects an already-aborted signal without calling fn', async () => {
    const policy = createPolicy();
    const { fn, calls } = script();
    await expect(policy.run(fn, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(calls).toHaveLength(0);
  });

  it('does not retry a fail verdict: FatalError with cause, verdict and attempts', async () => {
    const policy = createPolicy();
    const cause = http(
      400,
      {},
      { message: 'invalid request: temperature must be between 0 and 1.0 inclusive.' },
    );
    const { fn, calls } = script(cause);
    const err = await policy.run(fn).catch((e) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err).toBeInstanceOf(SteadyError);
    expect(err.name).toBe('FatalError');
    expect(err.code).toBe('ERR_FATAL');
    expect(rawCause(err)).toBe(cause); // as thrown; `err.cause` is its redacted copy
    expect(err.cause).toEqual(cause);
    expect(err.verdict).toMatchObject({ action: 'fail', reason: 'invalid-request', status: 400 });
    expect(err.attempts).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('stops after maxAttempts with RetriesExhaustedError carrying the last error', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxAttempts: 3, backoff: constant(1) } });
    const last = http(500);
    const { fn, calls } = script(http(503), http(502), last, http(500));
    const done = policy.run(fn).catch((e) => e);
    await clock.runAllAsync();
    const err = await done;
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.attempts).toBe(3);
    expect(rawCause(err)).toBe(last);
    expect(err.cause).toEqual(last);
    expect(calls).toHaveLength(3);
  });

  it('lets user rules force a retry, force a failure, or abstain on top of the preset', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { backoff: constant(1) },
      rules: [
        (o) => (o.status === 409 ? { action: 'retry', reason: 'server-error' } : undefined),
        (o) =>
          o.status === 503 && o.message === 'maintenance'
            ? { action: 'fail', reason: 'unclassified', scope: 'request' }
            : undefined,
      ],
    });
    expect(policy.classify(http(409)).action).toBe('retry');
    expect(policy.classify(http(503, {}, { message: 'maintenance' })).action).toBe('fail');
    expect(policy.classify(http(503)).action).toBe('retry'); // abstained: the HTTP default decides
    const { fn, calls } = script(http(409));
    const done = policy.run(fn);
    await clock.runAllAsync();
    await expect(done).resolves.toBe('done');
    expect(calls).toHaveLength(2);
  });

  it('keeps going when a hook throws or rejects', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { backoff: constant(5) },
      on: {
        attempt: () => {
          throw new Error('broken listener');
        },
      },
    });
    policy.on('retry', async () => {
      throw new Error('broken async listener');
    });
    const { fn } = script(http(503));
    const done = policy.run(fn);
    await clock.runAllAsync();
    await expect(done).resolves.toBe('done');
  });

  it('opens the breaker on an account-wide failure: later calls fail fast until a probe succeeds', async () => {
    const clock = testClock();
    const states: string[] = [];
    const policy = createPolicy({
      clock,
      breaker: { cooldownMs: 30_000 },
      on: { breaker: (e) => states.push(e.state) },
    });
    const { fn, calls } = script(http(401, {}, { message: 'invalid api token' }));
    const first = await policy.run(fn).catch((e) => e);
    expect(first).toBeInstanceOf(FatalError);
    expect(first.verdict).toMatchObject({ reason: 'unauthorized', scope: 'account' });

    const second = await policy.run(fn).catch((e) => e);
    expect(second).toBeInstanceOf(CircuitOpenError);
    expect(second.code).toBe('ERR_CIRCUIT_OPEN');
    expect(calls).toHaveLength(1); // never reached fn

    await clock.tickAsync(30_000);
    await expect(policy.run(fn)).resolves.toBe('done');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    await expect(policy.run(fn)).resolves.toBe('done');
  });

  it('can be driven by sinon fake timers from the retry listener (the event comes before the sleep)', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const policy = createPolicy({ retry: { backoff: constant(5_000) } });
      // The event comes before the sleep starts; one microtask later its timer exists.
      policy.on('retry', (e) => void Promise.resolve().then(() => timers.tick(e.delayMs)));
      const { fn, calls } = script(http(503), http(503));
      await expect(policy.run(fn)).resolves.toBe('done');
      expect(calls).toHaveLength(3);
      expect(Date.now()).toBe(10_000);
    } finally {
      timers.restore();
    }
  });
});

describe('createPolicy options', () => {
  it.each([
    [{ retry: { maxAttempts: 0 } }, /retry\.maxAttempts/],
    [{ retry: { maxAttempts: 1.5 } }, /retry\.maxAttempts/],
    [{ retry: { maxElapsedMs: -1 } }, /retry\.maxElapsedMs/],
    [{ retry: { attemptTimeoutMs: 0 } }, /retry\.attemptTimeoutMs/],
    [{ retry: { maxRetryAfterMs: Number.NaN } }, /retry\.maxRetryAfterMs/],
    [{ retry: { backoff: {} } }, /retry\.backoff/],
    [{ breaker: { cooldownMs: -5 } }, /breaker\.cooldownMs/],
    [{ rules: ['nope'] }, /rules\[0\]/],
    [{ on: { retry: 42 } }, /on\.retry/],
    [{ retrys: {} }, /retrys is not an option of createPolicy; did you mean retry\?/],
  ])('rejects %j at construction, naming the option', (options, message) => {
    expect(() => createPolicy(options as never)).toThrow(message);
  });

  it('rejects bad backoff numbers at construction', () => {
    expect(() => exponential({ baseMs: -1 })).toThrow(/exponential\.baseMs/);
    expect(() => exponential({ baseMs: 100, maxMs: 50 })).toThrow(/exponential\.maxMs/);
    expect(() => constant(-10)).toThrow(/constant\(delayMs\)/);
    expect(() => exponential({ jitter: 'some' as never })).toThrow(/exponential\.jitter/);
  });
});

describe('every way out is reported once', () => {
  it('a rule that throws rejects the call with its error, emits fail, and frees the half-open probe', async () => {
    const clock = testClock();
    const fails: unknown[] = [];
    let ruleThrows = false;
    const policy = createPolicy({
      clock,
      breaker: { cooldownMs: 1_000 },
      rules: [
        () => {
          if (ruleThrows) throw new TypeError('bug in a user rule');
          return undefined;
        },
      ],
      on: { fail: (e) => fails.push(e.error) },
    });
    await policy.run(script(http(401)).fn).catch(() => {});
    await clock.tickAsync(1_000);
    ruleThrows = true;
    const probe = await policy.run(script(http(503)).fn).catch((e) => e);
    expect(probe).toBeInstanceOf(TypeError);
    expect(fails.at(-1)).toBe(probe);
    // The probe proved nothing, so the next call may probe again instead of failing fast forever.
    ruleThrows = false;
    await expect(policy.run(script().fn)).resolves.toBe('done');
  });

  it('an aborted probe does not close the breaker: the next call probes again', async () => {
    const clock = testClock();
    const states: string[] = [];
    const policy = createPolicy({
      clock,
      breaker: { cooldownMs: 1_000 },
      on: { breaker: (e) => states.push(e.state) },
    });
    await policy.run(script(http(401)).fn).catch(() => {});
    await clock.tickAsync(1_000);
    const ac = new AbortController();
    const probe = policy.run(() => new Promise(() => {}), { signal: ac.signal });
    ac.abort(new Error('gone'));
    await expect(probe).rejects.toThrow('gone');
    expect(states).toEqual(['open', 'half-open']);
    // Still half-open: one new probe is allowed, the 401 comes back and opens it again.
    const again = await policy.run(script(http(401)).fn).catch((e) => e);
    expect(again).toBeInstanceOf(FatalError);
    expect(states).toEqual(['open', 'half-open', 'open']);
    await expect(policy.run(script().fn)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('a signal first read after the attempt was aborted is already aborted', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { attemptTimeoutMs: 100, maxAttempts: 1 } });
    let late: AbortSignal | undefined;
    const done = policy
      .run(async (ctx) => {
        await new Promise<void>((r) => clock.setTimeout(r, 500)); // e.g. fetching an auth token first
        late = ctx.signal;
      })
      .catch((e) => e);
    await clock.runAllAsync();
    expect(await done).toBeInstanceOf(RetriesExhaustedError);
    expect(late?.aborted).toBe(true);
  });
});
