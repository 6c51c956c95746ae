import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { type CreateLimiterOptions, createLimiter } from '../../src/limit/index.js';
import { drive, type Workload } from './drive.js';
import {
  FixedWindowServer,
  RollingWindowServer,
  type ServerLimits,
  type SimServer,
  TokenBucketServer,
} from './servers.js';

const W = 60_000;
const TRIAL = { calls: 40, tokens: 100_000 };
const limits = { calls: { limit: 40, windowMs: W }, tokens: { limit: 100_000, windowMs: W } };
const callsBound: Workload = {
  requests: 2_000,
  concurrency: 50,
  minTokens: 200,
  maxTokens: 2_000,
  actual: [0.8, 1.2],
  seed: 7,
};
const tokensBound: Workload = { ...callsBound, minTokens: 2_000, maxTokens: 6_000, seed: 11 };

let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  // an odd start, so fixed windows do not line up with the first burst
  clock = sinon.useFakeTimers({
    now: 1_700_000_017_123,
    toFake: ['setTimeout', 'clearTimeout', 'Date'],
    loopLimit: 1_000_000,
  });
});
afterEach(() => clock.restore());

type Server = new (l: ServerLimits) => SimServer;

async function run(
  S: Server,
  w: Workload,
  opts: Partial<CreateLimiterOptions> = {},
  tokenCheck: ServerLimits['tokenCheck'] = 'debt',
) {
  const server = new S({ ...TRIAL, windowMs: W, tokenCheck });
  const limiter = createLimiter({ limits, clock: systemClock, ...opts });
  const r = await drive(clock, limiter, server, w, TRIAL);
  const calls = (r.callsRate * W) / TRIAL.calls;
  const tokens = (r.tokensRate * W) / TRIAL.tokens;
  console.log(
    `${S.name} ${opts.algorithm ?? 'rolling'} ${w.minTokens < 1_000 ? 'calls-bound' : 'tokens-bound'} ${tokenCheck}: ` +
      `429s ${r.rejected}, served ${r.served} in ${(r.spanMs / 60_000).toFixed(1)} min, ` +
      `calls ${(calls * 100).toFixed(2)} %, tokens ${(tokens * 100).toFixed(2)} % of the limit`,
  );
  expect(clock.countTimers()).toBe(0);
  expect(limiter.queued).toBe(0);
  return { ...r, calls, tokens };
}

describe('conformance: 2,000 requests, 50 callers, estimates ±20 %, zero 429s', () => {
  for (const S of [RollingWindowServer, FixedWindowServer, TokenBucketServer]) {
    const algorithm = S === TokenBucketServer ? 'bucket' : 'rolling';
    it(`${S.name} (${algorithm}): calls-bound at ≥ 99 % of 40/min`, async () => {
      const r = await run(S, callsBound, { algorithm });
      expect(r.rejected).toBe(0);
      expect(r.served).toBe(2_000);
      expect(r.calls).toBeGreaterThanOrEqual(0.99);
    });

    it(`${S.name} (${algorithm}): tokens-bound at ≥ 95 % of 100k/min`, async () => {
      const r = await run(S, tokensBound, { algorithm });
      expect(r.rejected).toBe(0);
      expect(r.tokens).toBeGreaterThanOrEqual(0.95);
    });
  }
});

describe('conformance: other servers and algorithms', () => {
  it('the default rolling ledger is safe against a continuous token bucket server too', async () => {
    const calls = await run(TokenBucketServer, callsBound);
    const tokens = await run(TokenBucketServer, tokensBound);
    expect(calls.rejected + tokens.rejected).toBe(0);
    expect(calls.calls).toBeGreaterThanOrEqual(0.99);
    expect(tokens.tokens).toBeGreaterThanOrEqual(0.95);
  });

  it('a server that refuses a request whose own tokens would cross the limit: zero 429s with estimates that are upper bounds', async () => {
    const upper: Workload = { ...tokensBound, actual: [0.8, 1] };
    for (const S of [RollingWindowServer, FixedWindowServer]) {
      const r = await run(S, upper, {}, 'strict');
      expect(r.rejected).toBe(0);
      expect(r.tokens).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("a plain continuous token bucket of capacity N draws 429s from a rolling-window server (the issue's point)", async () => {
    const r = await run(
      RollingWindowServer,
      { ...callsBound, requests: 400 },
      { algorithm: 'bucket', safetyMarginMs: 0 },
    );
    expect(r.rejected).toBeGreaterThan(20);
  });
});
