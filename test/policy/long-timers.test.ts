import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { constant, createPolicy } from '../../src/index.js';
import { MemoryStore } from '../../src/limit/memory-store.js';
import type { ReserveResult } from '../../src/limit/store.js';
import type { Cost } from '../../src/limit/types.js';

const DAY = 86_400_000;

/** Durations above 2^31 - 1 ms through the policy on the real (system) clock, driven by sinon. */
describe('durations above 2^31 - 1 ms, system clock under sinon fake timers', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => timers.restore());

  it('attemptTimeoutMs: 3e9 does not time out an attempt that takes 10 s', async () => {
    const policy = createPolicy({ retry: { attemptTimeoutMs: 3e9, maxAttempts: 1 }, breaker: false });
    const done = policy.run(() => new Promise((r) => setTimeout(() => r('answer'), 10_000)));
    await timers.tickAsync(10_000);
    await expect(done).resolves.toBe('answer');
    expect(timers.countTimers()).toBe(0);
  });

  it('attemptTimeoutMs: 3e9 times a hung attempt out at 3e9 ms exactly', async () => {
    const policy = createPolicy({ retry: { attemptTimeoutMs: 3e9, maxAttempts: 1 }, breaker: false });
    const done = policy.run(() => new Promise(() => {}));
    const seen = done.catch((e: Error) => ({ at: Date.now(), message: e.message }));
    await timers.tickAsync(3e9 - 1);
    await timers.tickAsync(1);
    expect(await seen).toEqual({
      at: 3e9,
      message: expect.stringContaining('timeout'),
    });
  });

  it('a backoff step of 30 days under a 40-day deadline waits 30 days', async () => {
    const starts: number[] = [];
    const policy = createPolicy({
      retry: { backoff: constant(30 * DAY), maxElapsedMs: 40 * DAY, maxAttempts: 2 },
      breaker: false,
    });
    const done = policy.run(async () => {
      starts.push(Date.now());
      if (starts.length === 1) throw { status: 503 };
      return 'ok';
    });
    await timers.tickAsync(30 * DAY - 1);
    expect(starts).toEqual([0]);
    await timers.tickAsync(1);
    await expect(done).resolves.toBe('ok');
    expect(starts).toEqual([0, 30 * DAY]);
  });

  it('a 30-day window holds the next call for 30 days without waking the limiter in between', async () => {
    let tries = 0;
    class CountingStore extends MemoryStore {
      override tryReserve(id: string, cost: Cost, now: number, hold?: Cost): ReserveResult {
        tries++;
        return super.tryReserve(id, cost, now, hold);
      }
    }
    const limits = { calls: { limit: 1, windowMs: 30 * DAY } };
    const policy = createPolicy({
      limits,
      limiter: { store: new CountingStore({ limits }) },
      breaker: false,
    });
    await policy.run(async () => 1);
    let admittedAt: number | undefined;
    const second = policy.run(async () => {
      admittedAt = Date.now();
      return 2;
    });
    await timers.tickAsync(1_000);
    expect(tries).toBe(2); // one for each call; before chained timers, ~1,000 a second
    // The span is the window plus the safety margin (1 % of it, at most 500 ms).
    await timers.tickAsync(30 * DAY + 500 - 1_000 - 1);
    expect(admittedAt).toBeUndefined();
    await timers.tickAsync(1);
    await expect(second).resolves.toBe(2);
    expect(admittedAt).toBe(30 * DAY + 500);
    expect(tries).toBe(3);
  });
});
