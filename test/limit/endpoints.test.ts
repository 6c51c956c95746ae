import { describe, expect, it } from 'vitest';
import { cohere, createPolicy } from '../../src/index.js';
import { MONTH_MS } from '../../src/presets/cohere/limits.js';
import { testClock } from '../../src/testing.js';

const W = 60_000;
const ok = async () => 'ok';

/** How many of `n` calls to `endpoint` finish within `ms` of virtual time. */
async function admittedWithin(
  policy: ReturnType<typeof createPolicy>,
  clock: ReturnType<typeof testClock>,
  n: number,
  ms: number,
  opts: Parameters<ReturnType<typeof createPolicy>['run']>[1] = {},
) {
  let done = 0;
  const calls = Array.from({ length: n }, () =>
    policy.run(ok, opts).then(
      () => done++,
      () => {},
    ),
  );
  await clock.tickAsync(ms);
  const within = done;
  return { within, calls };
}

describe('per-endpoint limits (limiter.endpoints)', () => {
  it('routes each call to its endpoint, beside the shared limits', async () => {
    const clock = testClock();
    const policy = createPolicy({
      limits: { calls: { limit: 100, windowMs: W } },
      limiter: {
        endpoints: {
          rerank: { calls: { limit: 2, windowMs: W } },
          embed: { inputs: { limit: 10, windowMs: W } },
        },
      },
      clock,
    });
    // Chat has no limit of its own: only the shared 100 a minute.
    const chat = await admittedWithin(policy, clock, 20, 1_000, { endpoint: 'chat' });
    expect(chat.within).toBe(20);
    const rerank = await admittedWithin(policy, clock, 5, 1_000, { endpoint: 'rerank' });
    expect(rerank.within).toBe(2);
    await clock.tickAsync(2 * W);
    await Promise.all(rerank.calls);
    const embed = await admittedWithin(policy, clock, 4, 1_000, { endpoint: 'embed', cost: { inputs: 4 } });
    expect(embed.within).toBe(2); // 4 + 4 of 10 inputs
    await clock.tickAsync(2 * W);
    await Promise.all(embed.calls);
  });

  it('a dimension shared across endpoints counts every endpoint, and calls/month is a second window over calls', async () => {
    const clock = testClock();
    const policy = createPolicy({
      limits: { 'calls/month': { limit: 3, windowMs: MONTH_MS } },
      limiter: {
        endpoints: {
          chat: { calls: { limit: 10, windowMs: W } },
          rerank: { calls: { limit: 10, windowMs: W } },
        },
      },
      clock,
    });
    await policy.run(ok, { endpoint: 'chat' });
    await policy.run(ok, { endpoint: 'rerank' });
    await policy.run(ok);
    const fourth = await admittedWithin(policy, clock, 1, 10 * W, { endpoint: 'chat' });
    expect(fourth.within).toBe(0);
    await clock.tickAsync(MONTH_MS); // past 2^31-1 ms: the clock chains its timers
    await Promise.all(fourth.calls);
    const after = await admittedWithin(policy, clock, 1, 0, { endpoint: 'chat' });
    expect(after.within).toBe(1);
  });

  it('the usage a response reports is settled on the endpoint’s dimensions too', async () => {
    const clock = testClock();
    const policy = createPolicy({
      limiter: { endpoints: { chat: { tokens: { limit: 1_000, windowMs: W } } } },
      usage: (r) =>
        (r as { tokens: number }).tokens === undefined
          ? undefined
          : { tokens: (r as { tokens: number }).tokens },
      clock,
    });
    // Estimated 900 each, billed 100: after the first settles, the second fits at once.
    await policy.run(async () => ({ tokens: 100 }), { endpoint: 'chat', tokens: 700 });
    const next = await admittedWithin(policy, clock, 1, 0, { endpoint: 'chat', tokens: 700 });
    expect(next.within).toBe(1);
  });

  it('bad options fail at construction, naming the path', () => {
    expect(() =>
      createPolicy({ limiter: { endpoints: { chat: { calls: { limit: 0.5, windowMs: W } } } } }),
    ).toThrow(/limiter\.endpoints\.chat\.calls\.limit/);
    expect(() =>
      createPolicy({ limiter: { endpoints: { chat: { calls: { limit: 5, windowMS: W } as never } } } }),
    ).toThrow(/limiter\.endpoints\.chat\.calls\.windowMS.*windowMs/);
    expect(() => createPolicy({ limiter: { endpoints: 'chat' as never } })).toThrow(
      /limiter\.endpoints must be/,
    );
    expect(() => createPolicy({ limiter: { endpoints: { 'a:b': {} } } })).toThrow(
      /limiter\.endpoints\["a:b"\]/,
    );
    expect(() => createPolicy({ limiter: { fromHeaders: 'yes' as never } })).toThrow(
      /limiter\.fromHeaders must be true or false/,
    );
  });
});

describe("cohere()'s plans", () => {
  it('no plan: no limits at all', () => {
    const p = cohere();
    expect(p.limits).toBeUndefined();
    expect(p.endpoints).toBeUndefined();
    expect(createPolicy(p).limiter).toBeUndefined();
  });

  it('trial: 40 calls and 100,000 tokens a minute on the key, rerank 10, embed 2,000 inputs; monthly on request', () => {
    const p = cohere({ plan: 'trial' });
    expect(p.limits).toEqual({ calls: { limit: 40, windowMs: W }, tokens: { limit: 100_000, windowMs: W } });
    expect(p.endpoints?.rerank).toEqual({ calls: { limit: 10, windowMs: W } });
    expect(p.endpoints?.embed).toEqual({ inputs: { limit: 2_000, windowMs: W } });
    expect(cohere({ plan: 'trial', monthly: true }).limits?.['calls/month']).toEqual({
      limit: 1_000,
      windowMs: MONTH_MS,
    });
    const mine = cohere({ plan: 'trial', endpoints: { chat: { calls: { limit: 20, windowMs: W } } } });
    expect(mine.endpoints?.chat).toEqual({ calls: { limit: 20, windowMs: W } });
    expect(mine.endpoints?.rerank).toEqual({ calls: { limit: 10, windowMs: W } });
  });

  it('production: chat 500 a minute', () => {
    expect(cohere({ plan: 'production' }).endpoints?.chat).toEqual({ calls: { limit: 500, windowMs: W } });
  });

  it('trial rerank through a policy: 10 a minute while chat goes on', async () => {
    const clock = testClock();
    const policy = createPolicy({ ...cohere({ plan: 'trial' }), clock });
    const rerank = await admittedWithin(policy, clock, 12, 1_000, { endpoint: 'rerank' });
    expect(rerank.within).toBe(10);
    await clock.tickAsync(2 * W);
    await Promise.all(rerank.calls);
  });

  it('bad options: a misspelt endpoint, monthly without the trial, a fraction of a call', () => {
    expect(() => cohere({ endpoints: { rerenk: {} } as never })).toThrow(
      /cohere\.endpoints\.rerenk.*did you mean rerank/,
    );
    expect(() => cohere({ plan: 'production', monthly: true })).toThrow(/cohere\.monthly/);
    expect(() => cohere({ monthly: 'yes' as never })).toThrow(/cohere\.monthly must be true or false/);
    expect(() => cohere({ endpoints: { chat: { calls: { limit: 0.5, windowMs: W } } } })).toThrow(
      /cohere\.endpoints\.chat\.calls\.limit/,
    );
  });
});
