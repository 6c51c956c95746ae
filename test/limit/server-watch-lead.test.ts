/**
 * The room ServerWatch keeps free while another client spends on the key (limit/server-watch.ts
 * #correct), read from what it asks the store: worked by hand for a limit of 100 calls a minute.
 */
import { describe, expect, it } from 'vitest';
import { createPolicy, type LimiterStore, type LimitsEvent, MemoryStore } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

const W = 60_000;
const limits = { calls: { limit: 100, windowMs: W } };

/** A MemoryStore whose observe answers `charged` in turn (sync, or as promises), recording its arguments. */
function recordingStore(charged: number[], async = false) {
  const mem = new MemoryStore({ limits });
  const asked: (number | undefined)[][] = [];
  const store: LimiterStore = {
    tryReserve: (id, cost, now, hold) => mem.tryReserve(id, cost, now, hold),
    settle: (id, actual, now) => mem.settle(id, actual, now),
    release: (id, now) => mem.release(id, now),
    pause: (ms, now) => mem.pause(ms, now),
    observe: (_d, used, now, reserve, perMs) => {
      asked.push([now, used, reserve, perMs]);
      const c = charged.shift() ?? 0;
      return async ? Promise.resolve(c) : c;
    },
  };
  return { store, asked };
}

async function threeAnswers(async: boolean) {
  const clock = testClock();
  // The server counts 50 of 100 used at each answer (remaining 50).
  const { store, asked } = recordingStore([15, 0, 0, 0], async);
  const policy = createPolicy({
    clock,
    limits,
    limiter: { store },
    serverLimits: () => [{ dimension: 'calls', limit: 100, remaining: 50, windowMs: W }],
  });
  await policy.run(() => ({ headers: {} })); // t = 0
  await clock.tickAsync(1_000);
  await policy.run(() => ({ headers: {} })); // t = 1 000
  await clock.tickAsync(59_000);
  await policy.run(() => ({ headers: {} })); // t = 60 000: the 15 charged at 0 leave the window
  return asked;
}

describe("the room kept for another client's calls", () => {
  it('after it is seen spending 15: min(15, 100 / 10) = 10 kept, at the pace 15 a minute, for one window', async () => {
    expect(await threeAnswers(false)).toEqual([
      [0, 50, 0, 0], // nothing seen yet
      [0, 50, 10, 15 / W], // 15 charged: lead 10 (a tenth of the limit), pace 15 per window
      [1_000, 50, 10, 15 / W], // still inside the window: the same; nothing charged, no second ask
      [60_000, 50, 0, 0], // one window after it was seen: the lead and the pace are gone
    ]);
  });

  it('the same with a store that answers through promises, without the second ask (a round trip)', async () => {
    expect(await threeAnswers(true)).toEqual([
      [0, 50, 0, 0], // 15 charged: the room is kept from the next answer's ask on
      [1_000, 50, 10, 15 / W],
      [60_000, 50, 0, 0],
    ]);
  });
});

describe('which reports the watch corrects the ledger from (a store of your own: nothing is learned)', () => {
  it('only a usable remaining, of a limit it knows: the reported one over the configured one', async () => {
    const { store, asked } = recordingStore([]);
    const events: LimitsEvent[] = [];
    const policy = createPolicy({
      clock: testClock(),
      limits: { calls: { limit: 40, windowMs: W } },
      limiter: { store },
      on: { limits: (e) => events.push(e) },
      serverLimits: () => [
        { dimension: 'tokens', limit: 1_000, windowMs: W }, // not configured, not learnable: no event
        { dimension: 'inputs', remaining: 5, windowMs: W }, // no limit known for it: no correction
        { dimension: 'calls', limit: 100, remaining: Number.NaN, windowMs: W },
        { dimension: 'calls', limit: 100, remaining: -1, windowMs: W },
        { dimension: 'calls', limit: 100, remaining: 50, windowMs: W }, // 100 - 50 = 50 used, not 40 - 40
      ],
    });
    await policy.run(() => ({ headers: {} }));
    expect(asked).toEqual([[0, 50, 0, 0]]);
    expect(events).toEqual([
      { dimension: 'calls', configured: 40, reported: 100, windowMs: W, learned: false },
    ]);
  });
});
