/** ServerWatch's edges (limit/server-watch.ts): where it finds headers, which limits it takes, when it corrects. */
import { describe, expect, it } from 'vitest';
import { createPolicy, type LimitsEvent } from '../../src/index.js';
import type { ServerLimit } from '../../src/limit/server-watch.js';
import { testClock } from '../../src/testing.js';

const W = 60_000;

describe('where the watch finds the headers', () => {
  it("a result's own, its response's, its rawResponse's, responseHeaders, lastError.responseHeaders; none in a string", async () => {
    const seen: unknown[] = [];
    const policy = createPolicy({
      serverLimits: (headers) => {
        seen.push(headers);
        return undefined;
      },
    });
    const h = [{ a: '1' }, { b: '2' }, { c: '3' }, { d: '4' }, { e: '5' }];
    await policy.run(() => ({ headers: h[0] }));
    await policy.run(() => ({ response: { headers: h[1] } }));
    await policy.run(() => ({ rawResponse: { headers: h[2] } }));
    await policy.run(() => ({ responseHeaders: h[3] }));
    await policy.run(() => ({ lastError: { responseHeaders: h[4] } }));
    await policy.run(() => 'text');
    await policy.run(() => ({ body: 'no headers' }));
    expect(seen).toHaveLength(5);
    for (const [i, s] of seen.entries()) expect(s).toBe(h[i]);
  });
});

/** A policy whose reader reports `reports` after every call. */
function reporting(reports: ServerLimit[], extra: Record<string, unknown> = {}) {
  const events: LimitsEvent[] = [];
  const policy = createPolicy({
    clock: testClock(),
    serverLimits: () => reports,
    on: { limits: (e) => events.push(e) },
    ...extra,
  });
  return { policy, events };
}

describe('which reported limits the watch takes', () => {
  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('a limit of %s is not learned', async (limit) => {
    const { policy, events } = reporting([{ dimension: 'calls', limit, windowMs: W }]);
    await policy.run(() => ({ headers: {} }));
    expect(policy.limiter).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('a limit of 1 is', async () => {
    const { policy } = reporting([{ dimension: 'calls', limit: 1, windowMs: W }]);
    await policy.run(() => ({ headers: {} }));
    expect(policy.limiter).toBeDefined();
  });

  it('a configured limit is kept when the server reports another (one event), and not reported when it agrees', async () => {
    const limits = { calls: { limit: 40, windowMs: W } };
    const differs = reporting([{ dimension: 'calls', limit: 100, windowMs: W }], { limits });
    const before = differs.policy.limiter;
    await differs.policy.run(() => ({ headers: {} }));
    await differs.policy.run(() => ({ headers: {} }));
    expect(differs.policy.limiter).toBe(before);
    expect(differs.events).toEqual([
      { dimension: 'calls', configured: 40, reported: 100, windowMs: W, learned: false },
    ]);
    const agrees = reporting([{ dimension: 'calls', limit: 40, windowMs: W }], { limits });
    await agrees.policy.run(() => ({ headers: {} }));
    expect(agrees.events).toEqual([]);
  });
});

describe('the correction from remaining', () => {
  it('remaining 0 of 10: the ledger is full, the next call waits', async () => {
    const limits = { calls: { limit: 10, windowMs: W } };
    const { policy } = reporting([{ dimension: 'calls', limit: 10, remaining: 0, windowMs: W }], { limits });
    await policy.run(() => ({ headers: {} }));
    expect(await policy.limiter!.tryAcquire!({ calls: 1 })).toMatchObject({ ok: false, dimension: 'calls' });
  });

  it('remaining 9 of 10 after our one call: nothing more is charged, the next call goes', async () => {
    const limits = { calls: { limit: 10, windowMs: W } };
    const { policy } = reporting([{ dimension: 'calls', limit: 10, remaining: 9, windowMs: W }], { limits });
    await policy.run(() => ({ headers: {} }));
    expect(await policy.limiter!.tryAcquire!({ calls: 1 })).toMatchObject({ ok: true });
  });
});
