import { describe, expect, it } from 'vitest';
import { CostExceedsLimitError, createLimiter, createPolicy } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* tryAcquire: a reservation now, or how long until one, never a place in the queue. */

function setup(limit = 2, windowMs = 1_000) {
  const clock = testClock(0);
  const limiter = createLimiter({ limits: { calls: { limit, windowMs } }, clock, safetyMarginMs: 0 });
  return { clock, limiter };
}

describe('limiter.tryAcquire', () => {
  it('reserves while there is room, then says how long until the oldest call leaves the window', async () => {
    const { clock, limiter } = setup(2, 1_000);
    const a = await limiter.tryAcquire({ calls: 1 });
    expect(a.ok).toBe(true);
    await clock.tickAsync(300);
    expect((await limiter.tryAcquire({ calls: 1 })).ok).toBe(true);
    // Two calls at 0 and 300 in a 1 s window: the third fits at 1000, 700 ms from now.
    expect(await limiter.tryAcquire({ calls: 1 })).toEqual({ ok: false, retryInMs: 700, dimension: 'calls' });
    expect(limiter.queued).toBe(0);
    expect(clock.pending).toBe(0); // no timer left behind
    await clock.tickAsync(700);
    expect((await limiter.tryAcquire({ calls: 1 })).ok).toBe(true);
  });

  it('its reservation settles like acquire’s: cancel() gives the call back', async () => {
    const { limiter } = setup(1);
    const r = await limiter.tryAcquire({ calls: 1 });
    if (!r.ok) throw new Error('expected a reservation');
    expect((await limiter.tryAcquire({ calls: 1 })).ok).toBe(false);
    r.reservation.cancel();
    expect((await limiter.tryAcquire({ calls: 1 })).ok).toBe(true);
  });

  it('never overtakes a caller queued in acquire()', async () => {
    const { clock, limiter } = setup(1, 1_000);
    await limiter.acquire({ calls: 1 });
    await clock.tickAsync(400);
    const queued = limiter.acquire({ calls: 1 });
    expect(limiter.queued).toBe(1);
    // The head is due at 1000, 600 ms from now; tryAcquire waits behind it.
    expect(await limiter.tryAcquire({ calls: 1 })).toEqual({ ok: false, retryInMs: 600, dimension: 'queue' });
    await clock.tickAsync(600);
    await queued;
  });

  it('answers a pause after a 429 as dimension pause', async () => {
    const { limiter } = setup(5);
    limiter.pause(2_500);
    expect(await limiter.tryAcquire({ calls: 1 })).toEqual({
      ok: false,
      retryInMs: 2_500,
      dimension: 'pause',
    });
  });

  it('rejects a cost that can never fit, and bad input, naming it', async () => {
    const { limiter } = setup(2);
    await expect(limiter.tryAcquire({ calls: 3 })).rejects.toBeInstanceOf(CostExceedsLimitError);
    await expect(limiter.tryAcquire({ calls: -1 })).rejects.toThrow(
      'steady: cost "calls" must be a finite number ≥ 0',
    );
  });

  it('is on the policy’s limiter too, also for a limiter of your own passed through', async () => {
    const { limiter } = setup(1);
    const policy = createPolicy({ limiter });
    expect(typeof policy.limiter?.tryAcquire).toBe('function');
    expect((await policy.limiter!.tryAcquire!({ calls: 1 })).ok).toBe(true);
    expect((await limiter.tryAcquire({ calls: 1 })).ok).toBe(false);
  });
});
