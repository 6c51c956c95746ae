/** createLimiter (limit/create-limiter.ts): its errors name it; a store that binds is told the limiter's options and how to wake it. */
import { describe, expect, it } from 'vitest';
import { createLimiter, type LimiterStore, MemoryStore, type StoreBinding } from '../../src/limit/index.js';
import { testClock } from '../../src/testing.js';

const limits = { calls: { limit: 1, windowMs: 1_000 } };

describe('createLimiter', () => {
  it('names itself in the errors about its options', () => {
    expect(() => createLimiter({ limits, maxQueue: 1 } as never)).toThrow(
      new TypeError('steady: maxQueue is not an option of createLimiter; did you mean maxQueued?'),
    );
    expect(() => createLimiter(5 as never)).toThrow(
      new TypeError('steady: createLimiter options must be an object, got 5'),
    );
  });

  it('binds a store that binds: the limits and ledger options, and a wake() that lets the head try again now', async () => {
    const clock = testClock();
    const mem = new MemoryStore({ limits, safetyMarginMs: 0 });
    let elsewhere = true; // another process holds the key's one call
    const bindings: StoreBinding[] = [];
    const store: LimiterStore = {
      tryReserve: (id, cost, now, hold) =>
        elsewhere
          ? { ok: false, retryInMs: 60_000, dimension: 'calls' }
          : mem.tryReserve(id, cost, now, hold),
      settle: (id, actual, now) => mem.settle(id, actual, now),
      release: (id, now) => mem.release(id, now),
      pause: (ms, now) => mem.pause(ms, now),
      bind: (b) => {
        bindings.push(b);
      },
    };
    const l = createLimiter({ limits, clock, store, algorithm: 'bucket', safetyMarginMs: 5 });
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({ limits, algorithm: 'bucket', safetyMarginMs: 5 });
    let admittedAt: number | undefined;
    void l.acquire({ calls: 1 }).then(() => {
      admittedAt = clock.now();
    });
    await clock.tickAsync(100);
    expect(admittedAt).toBeUndefined();
    elsewhere = false; // the other process let go, and the shared store says so
    bindings[0]!.wake();
    await clock.tickAsync(0);
    expect(admittedAt).toBe(100);
  });
});
