/**
 * The queue in front of an asynchronous store (a Redis store): one call out at a time, or, for a
 * store that batches, the calls behind the head asked for in the same round trip (one ask, then
 * doubling while all are admitted, back to one after a refusal); the store told when nobody waits;
 * capacity given back for a call aborted while its ask was out. Worked by hand on 3 calls a second.
 */
import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLimiter, type LimiterStore, MemoryStore } from '../../src/limit/index.js';

const T0 = 1_000_000;
let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => clock.restore());

const limits = { calls: { limit: 3, windowMs: 1_000 } };

/** A MemoryStore answering through promises; `rounds` groups the asks made in one synchronous run. */
function asyncStore(batch?: number, lim: typeof limits = limits) {
  const mem = new MemoryStore({ limits: lim, safetyMarginMs: 0 });
  const rounds: string[][] = [];
  let current: string[] | undefined;
  let idles = 0;
  let refusedInRound = false;
  const store: LimiterStore & { batch?: number } = {
    ...(batch === undefined ? {} : { batch }),
    tryReserve(id, cost, now, hold) {
      if (!current) {
        current = [];
        refusedInRound = false;
        queueMicrotask(() => {
          rounds.push(current!);
          current = undefined;
        });
      }
      current.push(`${Date.now() - T0}`);
      // As a batching store must: after a refusal in one round trip, nothing later is admitted.
      const r = refusedInRound
        ? { ok: false as const, retryInMs: 1, dimension: 'calls' }
        : mem.tryReserve(id, cost, now, hold);
      if (!r.ok) refusedInRound = true;
      return Promise.resolve(r);
    },
    settle: (id, actual, now) => Promise.resolve(mem.settle(id, actual, now)),
    release: (id, now) => Promise.resolve(mem.release(id, now)),
    pause: (ms, now) => Promise.resolve(mem.pause(ms, now)),
    idle: () => {
      idles++;
    },
  };
  return { store, rounds, idles: () => idles };
}

function admittedAt(p: Promise<unknown>): Promise<number> {
  return p.then(() => Date.now() - T0);
}

describe('an asynchronous store that batches', () => {
  it('asks for 1, then 2, then 4 at once while all are admitted; one again after a refusal', async () => {
    const { store, rounds, idles } = asyncStore(4);
    const l = createLimiter({ limits, clock: systemClock, store });
    const calls = Array.from({ length: 5 }, () => admittedAt(l.acquire({ calls: 1 })));
    await clock.tickAsync(0);
    // 1 asked alone, 2 together, then 4th and 5th together: the 4th refused (3 a second), so the 5th too.
    expect(rounds.map((r) => r.length)).toEqual([1, 2, 2]);
    expect(l.queued).toBe(2);
    await clock.tickAsync(1_000);
    expect(await Promise.all(calls)).toEqual([0, 0, 0, 1_000, 1_000]);
    // After the refusal the head is asked alone again; once admitted, 2 at once (only 1 left).
    expect(rounds.slice(3).map((r) => r.length)).toEqual([1, 1]);
    expect(l.queued).toBe(0);
    expect(idles()).toBe(1); // a head was refused since the queue was last empty: the store is told
    expect(clock.countTimers()).toBe(0);
  });

  it('never asks for more than its batch at once', async () => {
    const many = { calls: { limit: 100, windowMs: 1_000 } };
    const { store, rounds } = asyncStore(2, many);
    const l = createLimiter({ limits: many, clock: systemClock, store });
    await Promise.all(Array.from({ length: 7 }, () => l.acquire({ calls: 1 })));
    expect(rounds.map((r) => r.length)).toEqual([1, 2, 2, 2]);
  });
});

describe('an asynchronous store that does not batch', () => {
  it('has one ask out at a time, in queue order', async () => {
    const { store, rounds, idles } = asyncStore();
    const l = createLimiter({ limits, clock: systemClock, store });
    const calls = Array.from({ length: 4 }, () => admittedAt(l.acquire({ calls: 1 })));
    await clock.tickAsync(0);
    expect(rounds.map((r) => r.length)).toEqual([1, 1, 1, 1]);
    await clock.tickAsync(1_000);
    expect(await Promise.all(calls)).toEqual([0, 0, 0, 1_000]);
    expect(idles()).toBe(1);
  });

  it('nobody refused: the store is not told the queue is idle', async () => {
    const { store, idles } = asyncStore();
    const l = createLimiter({ limits, clock: systemClock, store });
    await Promise.all([l.acquire({ calls: 1 }), l.acquire({ calls: 1 })]);
    expect(idles()).toBe(0);
  });

  it('a call aborted while its ask is out gives the capacity it got straight back', async () => {
    const { store } = asyncStore();
    const l = createLimiter({ limits, clock: systemClock, store });
    const ac = new AbortController();
    const aborted = l.acquire({ calls: 3 }, { signal: ac.signal }).catch((e: Error) => e.name);
    ac.abort();
    expect(await aborted).toBe('AbortError');
    await clock.tickAsync(0);
    // Its 3 calls were reserved by the store, then released: 3 more fit now, not a second later.
    const next = admittedAt(l.acquire({ calls: 3 }));
    await clock.tickAsync(0);
    expect(await next).toBe(0);
  });

  it('a store whose ask throws or rejects fails that call only; the next is admitted', async () => {
    const { store } = asyncStore();
    let n = 0;
    const flaky: LimiterStore = {
      ...store,
      tryReserve(id, cost, now, hold) {
        n++;
        if (n === 1) throw new Error('store down');
        if (n === 2) return Promise.reject(new Error('store timeout'));
        return store.tryReserve(id, cost, now, hold);
      },
    };
    const l = createLimiter({ limits, clock: systemClock, store: flaky });
    const out = await Promise.all(
      [1, 2, 3].map(() =>
        l.acquire({ calls: 1 }).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ),
    );
    expect(out).toEqual(['store down', 'store timeout', 'ok']);
  });
});
