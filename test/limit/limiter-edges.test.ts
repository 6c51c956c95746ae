/**
 * The limiter at its boundaries, each from both sides: a queued call's deadline met by a
 * millisecond or missed by one; the default pause after a hint-less 429; two limiters sharing one
 * store; a store that says a cost can never fit.
 */
import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { CostExceedsLimitError, DeadlineExceededError } from '../../src/errors/index.js';
import { createLimiter, type LimiterStore, MemoryStore } from '../../src/limit/index.js';
import { createPolicy } from '../../src/policy/policy.js';

const T0 = 1_000_000;
let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => clock.restore());

const oneCallPer10s = () =>
  createLimiter({ limits: { calls: { limit: 1, windowMs: 10_000 } }, safetyMarginMs: 0, clock: systemClock });

/** Resolves to the clock time the promise settled at, or `Name@time` when it rejected. */
function when(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => `ok@${Date.now() - T0}`,
    (e: Error) => `${e.name}@${Date.now() - T0}`,
  );
}

describe('a queued call behind a blocked head, and its deadline', () => {
  it('is admitted when its deadline is exactly its turn', async () => {
    const l = oneCallPer10s();
    await l.acquire({ calls: 1 }); // spends the window until T0 + 10 s
    const head = when(l.acquire({ calls: 1 })); // admitted at T0 + 10 s
    const behind = when(l.acquire({ calls: 1 }, { deadline: T0 + 20_000 })); // its turn: T0 + 20 s
    await clock.tickAsync(20_000);
    expect(await head).toBe('ok@10000');
    expect(await behind).toBe('ok@20000');
  });

  it('is refused when its turn comes 1 ms after its deadline, as soon as that is known', async () => {
    const l = oneCallPer10s();
    await l.acquire({ calls: 1 });
    const head = when(l.acquire({ calls: 1 }));
    const behind = when(l.acquire({ calls: 1 }, { deadline: T0 + 19_999 }));
    await clock.tickAsync(20_000);
    expect(await head).toBe('ok@10000');
    // Known when it reaches the head at T0 + 10 s: its earliest admission is T0 + 20 s.
    expect(await behind).toBe(`${DeadlineExceededError.name}@10000`);
  });

  it('is refused at once when the head itself is blocked past its deadline', async () => {
    const l = oneCallPer10s();
    await l.acquire({ calls: 1 });
    const head = when(l.acquire({ calls: 1 }));
    const behind = when(l.acquire({ calls: 1 }, { deadline: T0 + 9_999 }));
    await clock.tickAsync(0);
    expect(await behind).toBe(`${DeadlineExceededError.name}@0`);
    expect(l.queued).toBe(1);
    await clock.tickAsync(10_000);
    expect(await head).toBe('ok@10000');
  });
});

describe('the pause after a 429 without a hint', () => {
  it('pause(0) holds every call for the default: 1/60 of the window, 1 s a minute', async () => {
    const l = createLimiter({ limits: { calls: { limit: 100, windowMs: 60_000 } }, clock: systemClock });
    l.pause(0);
    const calls = [when(l.acquire({ calls: 1 })), when(l.acquire({ calls: 1 }))];
    await clock.tickAsync(999);
    expect(l.queued).toBe(2);
    await clock.tickAsync(1);
    expect(await Promise.all(calls)).toEqual(['ok@1000', 'ok@1000']);
  });

  it('through the policy: one bare 429 holds every queued call, not only the one that failed', async () => {
    const policy = createPolicy({
      limits: { calls: { limit: 100, windowMs: 60_000 } },
      retry: { maxAttempts: 2 },
      random: { next: () => 0 }, // no backoff: only the pause holds the retry
    });
    const starts: string[] = [];
    let first = true;
    const failing = when(
      policy.run(() => {
        starts.push(`a@${Date.now() - T0}`);
        if (first) {
          first = false;
          return Promise.reject({ status: 429, body: { message: 'too many requests' } });
        }
        return 'a';
      }),
    );
    await clock.tickAsync(0);
    const later = when(
      policy.run(() => {
        starts.push(`b@${Date.now() - T0}`);
        return 'b';
      }),
    );
    await clock.tickAsync(1_000);
    expect(await Promise.all([failing, later])).toEqual(['ok@1000', 'ok@1000']);
    // b queued during the pause, before a's retry came back to the queue: it goes first.
    expect(starts).toEqual(['a@0', 'b@1000', 'a@1000']);
  });
});

describe('two limiters over one store', () => {
  it('charge the store for each reservation: their ids never clash', async () => {
    const store = new MemoryStore({ limits: { calls: { limit: 2, windowMs: 10_000 } }, safetyMarginMs: 0 });
    const limits = { calls: { limit: 2, windowMs: 10_000 } };
    const a = createLimiter({ limits, store, clock: systemClock });
    const b = createLimiter({ limits, store, clock: systemClock });
    await a.acquire({ calls: 1 });
    await b.acquire({ calls: 1 });
    expect(store.pending).toBe(2);
    const third = when(a.acquire({ calls: 1 }));
    await clock.tickAsync(9_999);
    expect(a.queued).toBe(1);
    await clock.tickAsync(1);
    expect(await third).toBe('ok@10000');
  });

  it('name their reservations apart when they go by id (tryAcquire)', async () => {
    const store = new MemoryStore({ limits: { calls: { limit: 3, windowMs: 10_000 } }, safetyMarginMs: 0 });
    const limits = { calls: { limit: 3, windowMs: 10_000 } };
    const a = createLimiter({ limits, store, clock: systemClock });
    const b = createLimiter({ limits, store, clock: systemClock });
    expect((await a.tryAcquire({ calls: 1 })).ok).toBe(true);
    expect((await b.tryAcquire({ calls: 1 })).ok).toBe(true);
    expect(store.pending).toBe(2);
    expect((await b.tryAcquire({ calls: 1 })).ok).toBe(true);
    expect(await a.tryAcquire({ calls: 1 })).toMatchObject({ ok: false, dimension: 'calls' });
  });
});

describe('a store that says a cost can never fit', () => {
  it('rejects the call with CostExceedsLimitError, and the queue goes on', async () => {
    const inner = new MemoryStore({ limits: { calls: { limit: 5, windowMs: 1_000 } } });
    let never = true;
    const store: LimiterStore = {
      tryReserve: (id, cost, now, hold) => {
        if (never) {
          never = false;
          return { ok: false, retryInMs: Number.POSITIVE_INFINITY, dimension: 'calls' };
        }
        return inner.tryReserve(id, cost, now, hold);
      },
      settle: (id, actual, now) => inner.settle(id, actual, now),
      release: (id, now) => inner.release(id, now),
      pause: (ms, now) => inner.pause(ms, now),
    };
    const l = createLimiter({ limits: { calls: { limit: 5, windowMs: 1_000 } }, store, clock: systemClock });
    const first = l.acquire({ calls: 1 });
    const second = when(l.acquire({ calls: 1 }));
    await expect(first).rejects.toBeInstanceOf(CostExceedsLimitError);
    await expect(first).rejects.toThrow('can never fit "calls"');
    expect(await second).toBe('ok@0');
  });

  it('rejects tryAcquire with CostExceedsLimitError', async () => {
    const store: LimiterStore = {
      tryReserve: () => ({ ok: false, retryInMs: Number.POSITIVE_INFINITY, dimension: 'calls' }),
      settle: () => {},
      release: () => {},
      pause: () => {},
    };
    const l = createLimiter({ limits: { calls: { limit: 5, windowMs: 1_000 } }, store, clock: systemClock });
    await expect(l.tryAcquire({ calls: 1 })).rejects.toBeInstanceOf(CostExceedsLimitError);
  });
});
