import { getEventListeners } from 'node:events';
import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import {
  CostExceedsLimitError,
  DeadlineExceededError,
  QueueFullError,
  RetriesExhaustedError,
} from '../../src/errors/index.js';
import {
  type Cost,
  type CreateLimiterOptions,
  createLimiter,
  type LimiterStore,
  MemoryStore,
  type ThrottleInfo,
} from '../../src/limit/index.js';

const MIN = 60_000;
let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => clock.restore());

function limiter(extra: Partial<CreateLimiterOptions> = {}) {
  return createLimiter({
    limits: { calls: { limit: 2, windowMs: MIN }, tokens: { limit: 1_000, windowMs: MIN } },
    safetyMarginMs: 0,
    clock: systemClock,
    ...extra,
  });
}

/** Records the order in which promises settle. */
function track<T>(p: Promise<T>, log: string[], name: string): Promise<T | undefined> {
  return p.then(
    (v) => {
      log.push(name);
      return v;
    },
    (e: Error) => {
      log.push(`${name}:${e.name}`);
      return undefined;
    },
  );
}

describe('createLimiter: the queue', () => {
  it('admits at once while there is capacity, then queues FIFO on ONE timer', async () => {
    const l = limiter();
    const log: string[] = [];
    const all = ['a', 'b', 'c', 'd', 'e'].map((n) => track(l.acquire({ calls: 1, tokens: 10 }), log, n));
    await clock.tickAsync(0);
    expect(log).toEqual(['a', 'b']);
    expect(l.queued).toBe(3);
    expect(clock.countTimers()).toBe(1);
    await clock.tickAsync(MIN - 1);
    expect(log).toEqual(['a', 'b']);
    await clock.tickAsync(1);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    await clock.tickAsync(MIN);
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    await Promise.all(all);
    expect(clock.countTimers()).toBe(0);
  });

  it('lower priority numbers go first; FIFO within one priority', async () => {
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 1_000 } } });
    const log: string[] = [];
    const all = [
      track(l.acquire({ calls: 1 }), log, 'first'),
      track(l.acquire({ calls: 1 }, { priority: 5 }), log, 'p5a'),
      track(l.acquire({ calls: 1 }, { priority: 5 }), log, 'p5b'),
      track(l.acquire({ calls: 1 }, { priority: 1 }), log, 'p1'),
      track(l.acquire({ calls: 1 }), log, 'p0'),
    ];
    await clock.tickAsync(10_000);
    await Promise.all(all);
    expect(log).toEqual(['first', 'p0', 'p1', 'p5a', 'p5b']);
  });

  it('does not let a small call overtake a large one at the head', async () => {
    const l = limiter({ limits: { tokens: { limit: 1_000, windowMs: 1_000 } } });
    const log: string[] = [];
    (await l.acquire({ tokens: 600 })).commit();
    const big = track(l.acquire({ tokens: 900 }), log, 'big');
    const small = track(l.acquire({ tokens: 100 }), log, 'small');
    await clock.tickAsync(999);
    expect(log).toEqual([]);
    await clock.tickAsync(1);
    expect(log).toEqual(['big']); // big is in flight, held at up to its whole window
    (await big)!.commit({ tokens: 900 });
    await clock.tickAsync(0);
    expect(log).toEqual(['big', 'small']);
    await small;
  });

  it('rejects at once, before queueing, a call larger than a whole window (CostExceedsLimitError)', async () => {
    const l = limiter();
    await expect(l.acquire({ calls: 1, tokens: 1_001 })).rejects.toBeInstanceOf(CostExceedsLimitError);
    await expect(l.acquire({ calls: 1, tokens: 1_001 })).rejects.toThrow(
      'can never fit the limit of 1000 tokens',
    );
    expect(l.queued).toBe(0);
  });

  it('rejects bad costs, priorities and deadlines', async () => {
    const l = limiter();
    await expect(l.acquire({ tokens: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(l.acquire({ tokens: Number.NaN })).rejects.toThrow('cost "tokens"');
    await expect(l.acquire(null as never)).rejects.toBeInstanceOf(TypeError);
    await expect(l.acquire({ calls: 1 }, { priority: Number.NaN })).rejects.toThrow('priority');
    await expect(l.acquire({ calls: 1 }, { deadline: '5' as never })).rejects.toThrow('deadline');
  });

  it('maxQueued bounds the waiting calls with QueueFullError', async () => {
    const l = limiter({ maxQueued: 2 });
    const ok = [l.acquire({ calls: 1 }), l.acquire({ calls: 1 })];
    const waiting = [l.acquire({ calls: 1 }), l.acquire({ calls: 1 })];
    await expect(l.acquire({ calls: 1 })).rejects.toBeInstanceOf(QueueFullError);
    expect(l.queued).toBe(2);
    await clock.tickAsync(MIN);
    await Promise.all([...ok, ...waiting]);
    expect(l.queued).toBe(0);
  });
});

describe('createLimiter: a long queue', () => {
  it('10,000 waiters, two thirds aborted anywhere in the queue: the rest go in FIFO order on one timer', async () => {
    const l = limiter({ limits: { calls: { limit: 100, windowMs: 1_000 } } });
    const order: number[] = [];
    const controllers: AbortController[] = [];
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ac = new AbortController();
      controllers.push(ac);
      all.push(
        l.acquire({ calls: 1 }, { signal: ac.signal }).then(
          () => order.push(i),
          () => {},
        ),
      );
    }
    await clock.tickAsync(0);
    expect(l.queued).toBe(9_900);
    controllers.forEach((ac, i) => {
      if (i % 3 !== 0) ac.abort();
    });
    expect(l.queued).toBe(3_300);
    expect(clock.countTimers()).toBe(1);
    await clock.runAllAsync();
    await Promise.all(all);
    const kept = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i < 100 || i % 3 === 0);
    expect(order).toEqual(kept);
    expect(l.queued).toBe(0);
    expect(clock.countTimers()).toBe(0);
  });
});

describe('createLimiter: aborts and deadlines', () => {
  it('an aborted waiter rejects at once with the reason, leaves its place and its listener', async () => {
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 1_000 } } });
    const log: string[] = [];
    await l.acquire({ calls: 1 });
    const ac = new AbortController();
    const a = track(l.acquire({ calls: 1 }), log, 'a');
    const b = l.acquire({ calls: 1 }, { signal: ac.signal });
    const c = track(l.acquire({ calls: 1 }), log, 'c');
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const reason = new Error('user gave up');
    ac.abort(reason);
    await expect(b).rejects.toBe(reason);
    expect(l.queued).toBe(2);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await clock.tickAsync(2_000);
    expect(log).toEqual(['a', 'c']);
    await Promise.all([a, c]);
  });

  it('aborting the head lets the next one in at once when it fits', async () => {
    const l = limiter({ limits: { tokens: { limit: 1_000, windowMs: 1_000 } } });
    (await l.acquire({ tokens: 500 })).commit();
    const ac = new AbortController();
    const big = l.acquire({ tokens: 900 }, { signal: ac.signal });
    const log: string[] = [];
    const small = track(l.acquire({ tokens: 400 }), log, 'small');
    await clock.tickAsync(0);
    expect(log).toEqual([]);
    ac.abort();
    await expect(big).rejects.toMatchObject({ name: 'AbortError' });
    await clock.tickAsync(0);
    expect(log).toEqual(['small']);
    await small;
    expect(clock.countTimers()).toBe(0);
  });

  it('an already aborted signal rejects at once without queueing; an admitted call keeps no listener', async () => {
    const l = limiter();
    const reason = new Error('before');
    await expect(l.acquire({ calls: 1 }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const ac = new AbortController();
    await l.acquire({ calls: 1 }, { signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const waiting = l.acquire({ calls: 1 }, { signal: ac.signal });
    await l.acquire({ calls: 0 }).catch(() => {});
    await clock.tickAsync(MIN);
    await waiting;
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('rejects the head with DeadlineExceededError when its earliest admission is after its deadline', async () => {
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 10_000 } } });
    await l.acquire({ calls: 1 });
    const t0 = Date.now();
    const late = l.acquire({ calls: 1 }, { deadline: t0 + 9_999 });
    const fine = l.acquire({ calls: 1 }, { deadline: t0 + 10_000 }).then((r) => ({ r, at: Date.now() - t0 }));
    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    await clock.tickAsync(10_000);
    const admitted = await fine;
    expect(admitted.at).toBe(10_000);
    expect(typeof admitted.r.commit).toBe('function');
  });

  it('rejects at once a call enqueued behind a head blocked past its deadline', async () => {
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 10_000 } } });
    await l.acquire({ calls: 1 });
    const head = l.acquire({ calls: 1 });
    await expect(l.acquire({ calls: 1 }, { deadline: Date.now() + 5_000 })).rejects.toThrow(
      DeadlineExceededError,
    );
    expect(l.queued).toBe(1);
    await clock.tickAsync(10_000);
    await head;
  });
});

describe('createLimiter: reconciling', () => {
  it('commit with a smaller actual admits the next call at once', async () => {
    const l = limiter();
    const r = await l.acquire({ calls: 1, tokens: 900 });
    const log: string[] = [];
    const next = track(l.acquire({ calls: 1, tokens: 500 }), log, 'next');
    await clock.tickAsync(0);
    expect(log).toEqual([]);
    r.commit({ tokens: 400 });
    await clock.tickAsync(0);
    expect(log).toEqual(['next']);
    await next;
  });

  it('refund() gives back tokens but keeps the call counted; cancel() gives back the call too', async () => {
    const l = limiter();
    const a = await l.acquire({ calls: 1, tokens: 400 });
    const b = await l.acquire({ calls: 1, tokens: 400 });
    a.refund();
    a.commit({ tokens: 999 }); // settled already: ignored
    const log: string[] = [];
    const c = track(l.acquire({ calls: 1, tokens: 400 }), log, 'c');
    await clock.tickAsync(0);
    expect(log).toEqual([]); // calls: 2 of 2 still counted
    b.cancel();
    await clock.tickAsync(0);
    expect(log).toEqual(['c']);
    await c;
  });

  it('a commit charging more makes the next call wait longer', async () => {
    const l = limiter();
    const a = await l.acquire({ calls: 1, tokens: 100 });
    a.commit({ tokens: 1_000 });
    await clock.tickAsync(30_000);
    const log: string[] = [];
    const b = track(l.acquire({ calls: 1, tokens: 1 }), log, 'b');
    await clock.tickAsync(29_999);
    expect(log).toEqual([]);
    await clock.tickAsync(1);
    expect(log).toEqual(['b']);
    await b;
  });
});

describe('createLimiter: headroom for usage running over the estimate', () => {
  it('admits on the estimate but holds an in-flight call above it until it commits', async () => {
    const l = limiter({ limits: { tokens: { limit: 1_000, windowMs: MIN } } });
    const a = await l.acquire({ tokens: 700 }); // held at 700 × 1.25 = 875 while in flight
    const log: string[] = [];
    const b = track(l.acquire({ tokens: 200 }), log, 'b');
    await clock.tickAsync(0);
    expect(log).toEqual([]);
    a.commit({ tokens: 700 });
    await clock.tickAsync(0);
    expect(log).toEqual(['b']);
    await b;
  });

  it('learns the ratio from commits: a report 1.6× over raises the hold at once', async () => {
    const l = limiter({ limits: { tokens: { limit: 10_000, windowMs: MIN } } });
    (await l.acquire({ tokens: 100 })).commit({ tokens: 160 });
    await l.acquire({ tokens: 5_000 }); // held at 8,000
    const log: string[] = [];
    const fits = track(l.acquire({ tokens: 1_840 }), log, 'fits');
    const over = track(l.acquire({ tokens: 1 }), log, 'over');
    await clock.tickAsync(0);
    expect(log).toEqual(['fits']);
    await fits;
    expect(l.queued).toBe(1);
    await clock.tickAsync(MIN + 500);
    await over;
  });
});

describe('createLimiter: pause and throttle reports', () => {
  it('pause holds every queued call, not only the one that failed, and reports "pause"', async () => {
    const seen: ThrottleInfo[] = [];
    const l = limiter({ limits: { calls: { limit: 100, windowMs: MIN } }, onThrottle: (i) => seen.push(i) });
    l.pause(5_000, 'calls');
    const log: string[] = [];
    const all = ['a', 'b', 'c'].map((n) => track(l.acquire({ calls: 1 }), log, n));
    await clock.tickAsync(4_999);
    expect(log).toEqual([]);
    expect(clock.countTimers()).toBe(1);
    await clock.tickAsync(1);
    expect(log).toEqual(['a', 'b', 'c']);
    await Promise.all(all);
    expect(seen).toEqual([
      { dimension: 'pause', waitedMs: 5_000 },
      { dimension: 'pause', waitedMs: 5_000 },
      { dimension: 'pause', waitedMs: 5_000 },
    ]);
  });

  it('maxPauseMs: a call does not wait out a longer pause, it is refused at once', async () => {
    const l = limiter({ limits: { calls: { limit: 100, windowMs: MIN } } });
    l.pause(5_000);
    const log: string[] = [];
    const refused = l.acquire({ calls: 1 }, { maxPauseMs: 4_999 }).catch((e: Error) => e);
    const waits = track(l.acquire({ calls: 1 }, { maxPauseMs: 5_000 }), log, 'waits');
    const err = await refused;
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as Error).message).toBe(
      'steady: the limiter is paused after a 429 for 5000 ms more, longer than this call waits out a pause ' +
        '(4999 ms; under a policy, retry.maxRetryAfterMs)',
    );
    await clock.tickAsync(5_000);
    expect(log).toEqual(['waits']);
    await waits;
  });

  it('a pause of 40 days (above 2^31 - 1 ms) holds the queue for 40 days, with one timer', async () => {
    const l = limiter();
    l.pause(40 * 86_400_000);
    const log: string[] = [];
    const a = track(l.acquire({ calls: 1 }), log, 'a');
    await clock.tickAsync(40 * 86_400_000 - 1);
    expect(log).toEqual([]);
    expect(clock.countTimers()).toBe(1);
    await clock.tickAsync(1);
    expect(log).toEqual(['a']);
    await a;
  });

  it('pause without a usable hint waits 1/60 of the window (1 s per minute)', async () => {
    const l = limiter();
    l.pause(Number.NaN, 'tokens');
    const log: string[] = [];
    const a = track(l.acquire({ calls: 1 }), log, 'a');
    await clock.tickAsync(999);
    expect(log).toEqual([]);
    await clock.tickAsync(1);
    expect(log).toEqual(['a']);
    await a;
  });

  it('pause extends the wait of a head already blocked on a limit', async () => {
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 1_000 } } });
    await l.acquire({ calls: 1 });
    const log: string[] = [];
    const a = track(l.acquire({ calls: 1 }), log, 'a');
    await clock.tickAsync(500);
    l.pause(3_000);
    await clock.tickAsync(2_999);
    expect(log).toEqual([]);
    await clock.tickAsync(1);
    expect(log).toEqual(['a']);
    await a;
  });

  it('reports once per admitted call that waited, with the dimension that held it longest', async () => {
    const seen: ThrottleInfo[] = [];
    const l = limiter({
      limits: { calls: { limit: 1, windowMs: 1_000 }, tokens: { limit: 100, windowMs: 10_000 } },
      onThrottle: (i) => {
        seen.push(i);
        throw new Error('a throwing listener is ignored');
      },
    });
    const first = await l.acquire({ calls: 1, tokens: 100 });
    expect(first.throttle).toBeUndefined();
    const second = l.acquire({ calls: 1, tokens: 10 });
    await clock.tickAsync(10_000);
    const r = await second;
    expect(r.throttle).toEqual({ dimension: 'tokens', waitedMs: 10_000 });
    expect(seen).toEqual([{ dimension: 'tokens', waitedMs: 10_000 }]);
  });

  it('a call that only waited behind others reports the dimension that held the queue', async () => {
    const seen: ThrottleInfo[] = [];
    const l = limiter({ limits: { calls: { limit: 1, windowMs: 1_000 } }, onThrottle: (i) => seen.push(i) });
    const all = [l.acquire({ calls: 1 }), l.acquire({ calls: 1 }), l.acquire({ calls: 0 })];
    await clock.tickAsync(1_000);
    await Promise.all(all);
    expect(seen).toEqual([
      { dimension: 'calls', waitedMs: 1_000 },
      { dimension: 'calls', waitedMs: 1_000 },
    ]);
  });
});

describe('createLimiter: nothing leaks', () => {
  it('after 300 calls with aborts, refunds and commits: no timer, no listener, an empty store', async () => {
    const l = limiter({
      limits: { calls: { limit: 7, windowMs: 1_000 }, tokens: { limit: 500, windowMs: 2_000 } },
    });
    const signals: AbortSignal[] = [];
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const ac = new AbortController();
      signals.push(ac.signal);
      if (i % 7 === 3) clock.setTimeout(() => ac.abort(), (i * 37) % 5_000);
      jobs.push(
        l.acquire({ calls: 1, tokens: 10 + (i % 50) }, { signal: ac.signal, priority: i % 3 }).then(
          (r) => {
            if (i % 5 === 0) r.refund();
            else if (i % 5 === 1) r.cancel();
            else r.commit({ tokens: 20 });
          },
          () => {},
        ),
      );
    }
    await clock.runAllAsync();
    await Promise.all(jobs);
    await clock.tickAsync(3_000);
    expect(l.queued).toBe(0);
    expect(clock.countTimers()).toBe(0);
    for (const s of signals) expect(getEventListeners(s, 'abort')).toHaveLength(0);
    expect((l.store as { size?: number }).size).toBeGreaterThan(0); // entries still in window until probed
    await l.acquire({}).then((r) => r.cancel());
    expect((l.store as { size?: number }).size).toBe(0);
  });
});

/** A MemoryStore behind 5 ms of (fake) latency, as a Redis store would answer. */
class SlowStore implements LimiterStore {
  fail: Error | undefined;
  constructor(readonly inner: MemoryStore) {}
  #later<T>(fn: () => T): Promise<T> {
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        if (this.fail) reject(this.fail);
        else resolve(fn());
      }, 5),
    );
  }
  tryReserve(id: string, cost: Cost, now: number, hold?: Cost) {
    return this.#later(() => this.inner.tryReserve(id, cost, now, hold));
  }
  settle(id: string, actual: Partial<Record<string, number>>, now: number) {
    return this.#later(() => this.inner.settle(id, actual, now));
  }
  release(id: string, now: number) {
    return this.#later(() => this.inner.release(id, now));
  }
  pause(ms: number, now: number) {
    return this.#later(() => this.inner.pause(ms, now));
  }
}

describe('createLimiter: an asynchronous store', () => {
  const limits = { calls: { limit: 2, windowMs: 1_000 } };
  const slow = () => new SlowStore(new MemoryStore({ limits, safetyMarginMs: 0 }));

  it('admits in order and waits for the window, one store call at a time', async () => {
    const store = slow();
    const l = createLimiter({ limits, store, clock: systemClock });
    const log: string[] = [];
    const all = ['a', 'b', 'c', 'd'].map((n) => track(l.acquire({ calls: 1 }), log, n));
    await clock.tickAsync(10);
    expect(log).toEqual(['a', 'b']);
    await clock.tickAsync(990);
    expect(log).toEqual(['a', 'b']);
    // each answer arrives 5 ms after the store's time: c at 1,010, d at 1,015
    await clock.tickAsync(15);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    await Promise.all(all);
    expect(clock.countTimers()).toBe(0);
  });

  it('gives the capacity straight back when the head aborts while the store is answering', async () => {
    const store = slow();
    const l = createLimiter({ limits, store, clock: systemClock });
    const ac = new AbortController();
    const a = l.acquire({ calls: 1 }, { signal: ac.signal });
    ac.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await clock.tickAsync(20);
    expect(store.inner.pending).toBe(0);
    const [b, c] = [l.acquire({ calls: 1 }), l.acquire({ calls: 1 })];
    await clock.tickAsync(20);
    await Promise.all([b, c]);
  });

  it('rejects the head with the store error when the store fails', async () => {
    const store = slow();
    store.fail = new Error('redis down');
    const l = createLimiter({ limits, store, clock: systemClock });
    const a = expect(l.acquire({ calls: 1 })).rejects.toThrow('redis down');
    const b = expect(l.acquire({ calls: 1 })).rejects.toThrow('redis down');
    await clock.tickAsync(20);
    await Promise.all([a, b]);
    expect(clock.countTimers()).toBe(0);
  });
});

describe('createLimiter: options', () => {
  const limits = { calls: { limit: 1, windowMs: 1 } };
  it.each([
    [{}, 'limits'],
    [{ limits: { tokens: { limit: -5, windowMs: 1 } } }, 'limits.tokens.limit'],
    [{ limits: { tokens: { limit: 5, windowMs: 0 } } }, 'limits.tokens.windowMs'],
    [{ limits, maxQueued: 0 }, 'maxQueued'],
    [{ limits, maxQueued: 1.5 }, 'maxQueued'],
    [{ limits, algorithm: 'fixed' }, 'algorithm'],
    [{ limits, safetyMarginMs: Number.NaN }, 'safetyMarginMs'],
    [{ limits, clock: {} }, 'clock'],
    [{ limits, onThrottle: 5 }, 'onThrottle'],
    [{ limits, store: {} }, 'store'],
  ])('rejects %j naming "%s"', (options, path) => {
    expect(() => createLimiter(options as never)).toThrow(`steady: ${path}`);
  });

  it('says that algorithm and safetyMarginMs belong on a custom store', () => {
    const store = limiter().store;
    expect(() => createLimiter({ limits, store, algorithm: 'bucket' })).toThrow(
      'steady: algorithm configures the default store',
    );
  });

  it('accepts maxQueued: Infinity and exposes the store', () => {
    const l = createLimiter({ limits, maxQueued: Number.POSITIVE_INFINITY });
    expect(typeof l.store.tryReserve).toBe('function');
    expect(l.queued).toBe(0);
  });
});
