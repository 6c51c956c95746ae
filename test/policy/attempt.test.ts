import { describe, expect, it } from 'vitest';
import { createPolicy, type Limiter, RetriesExhaustedError } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* One attempt (policy/attempt.ts): its timeout error, its signal, the reservation fn may take over. */

describe("an attempt's timeout", () => {
  it("is a TimeoutError with steady's own code, naming the timeout; fn's signal carries it", async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxAttempts: 1, attemptTimeoutMs: 50 } });
    let signal: AbortSignal | undefined;
    const done = policy
      .run((ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await clock.tickAsync(50);
    const err = (await done) as RetriesExhaustedError;
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(signal!.aborted).toBe(true);
    const timeout = signal!.reason as Error & { code: string };
    expect(timeout.name).toBe('TimeoutError');
    expect(timeout.code).toBe('STEADY_ATTEMPT_TIMEOUT');
    expect(timeout.message).toBe('attempt timed out after 50 ms');
    expect(err.cause).toMatchObject({ name: 'TimeoutError', code: 'STEADY_ATTEMPT_TIMEOUT' });
  });

  it('cut short by the call deadline, it says so', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { maxElapsedMs: 700, attemptTimeoutMs: 5_000 } });
    let signal: AbortSignal | undefined;
    const done = policy
      .run((ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await clock.tickAsync(700);
    await done;
    expect((signal!.reason as Error).message).toBe('attempt timed out after 700 ms (the call deadline)');
  });

  it('without attemptTimeoutMs no timer is set, even with a signal', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock });
    let pendingDuring = -1;
    const caller = new AbortController();
    await policy.run(
      () => {
        pendingDuring = clock.pending;
        return 'ok';
      },
      { signal: caller.signal },
    );
    expect(pendingDuring).toBe(0);
  });
});

describe("an attempt and the caller's signal", () => {
  it('an abort after the call succeeded does not reach the finished attempt', async () => {
    const policy = createPolicy({});
    const caller = new AbortController();
    let signal: AbortSignal | undefined;
    await policy.run(
      (ctx) => {
        signal = ctx.signal;
        return 'ok';
      },
      { signal: caller.signal },
    );
    caller.abort(new Error('later'));
    expect(signal!.aborted).toBe(false);
  });

  it('a limiter that admits after the caller aborted: fn never runs, the call rejects with the reason', async () => {
    const clock = testClock();
    // A Limiter of your own that ignores the signal and admits after 100 ms.
    const limiter: Limiter = {
      acquire: () =>
        new Promise((resolve) => clock.setTimeout(() => resolve({ commit() {}, refund() {} }), 100)),
      pause() {},
    };
    const policy = createPolicy({ clock, limiter });
    const caller = new AbortController();
    let ran = false;
    const done = policy
      .run(
        () => {
          ran = true;
        },
        { signal: caller.signal },
      )
      .catch((e: unknown) => e);
    caller.abort(new Error('user left'));
    await clock.tickAsync(100);
    expect(await done).toMatchObject({ message: 'user left' });
    expect(ran).toBe(false);
  });
});

describe('ctx.takeReservation()', () => {
  it('hands fn the reservation: fn settles it, the loop does not settle it again', async () => {
    const settled: string[] = [];
    const limiter: Limiter = {
      acquire: async () => ({
        commit: (usage?: unknown) => settled.push(`commit ${JSON.stringify(usage)}`),
        refund: () => settled.push('refund'),
      }),
      pause() {},
    };
    const policy = createPolicy({ limiter });
    await policy.run((ctx) => {
      ctx.takeReservation().commit({ tokens: 42 });
      return 'streamed';
    });
    expect(settled).toEqual(['commit {"tokens":42}']);
  });

  it('without a limiter it is a reservation that does nothing', async () => {
    const policy = createPolicy({});
    const r = await policy.run((ctx) => ctx.takeReservation());
    expect(() => {
      r.commit();
      r.refund();
    }).not.toThrow();
    expect(typeof r.commit).toBe('function');
  });
});
