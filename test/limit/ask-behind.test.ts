/**
 * A store that batches (limit/ask-behind.ts): a call behind the head whose ask throws, or rejects,
 * fails alone; the others in the same round trip are admitted.
 */
import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLimiter, type LimiterStore, MemoryStore } from '../../src/limit/index.js';

let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => clock.restore());

describe('a batched ask behind the head', () => {
  it('a store that throws for one call, or rejects for another, fails only those calls', async () => {
    const mem = new MemoryStore({ limits: { calls: { limit: 10, windowMs: 1_000 } }, safetyMarginMs: 0 });
    const thrown = new Error('bad request to the store');
    const rejected = new Error('the store dropped this one');
    const store: LimiterStore & { batch: number } = {
      batch: 4,
      tryReserve(id, cost, now, hold) {
        if (cost.tokens === 13) throw thrown;
        if (cost.tokens === 14) return Promise.reject(rejected);
        return Promise.resolve(mem.tryReserve(id, cost, now, hold));
      },
      settle: (id, actual, now) => Promise.resolve(mem.settle(id, actual, now)),
      release: (id, now) => Promise.resolve(mem.release(id, now)),
      pause: (ms, now) => Promise.resolve(mem.pause(ms, now)),
    };
    const l = createLimiter({ limits: { calls: { limit: 10, windowMs: 1_000 } }, clock: systemClock, store });
    // The first is asked alone; once admitted the next two together: the head's ask rejects, the ask
    // behind it throws at once.
    const outcome = (tokens: number) =>
      l.acquire({ calls: 1, tokens }).then(
        () => 'admitted',
        (e: unknown) => e,
      );
    const all = [outcome(1), outcome(14), outcome(13), outcome(2)];
    await clock.tickAsync(0);
    expect(await Promise.all(all)).toEqual(['admitted', rejected, thrown, 'admitted']);
    expect(l.queued).toBe(0);
  });
});
