import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../../src/clock.js';
import { cohere, createPolicy, type ThrottleEvent } from '../../src/index.js';
import { prng } from './drive.js';
import { FixedWindowServer, RollingWindowServer, type SimServer } from './servers.js';

/*
 * The proof, end to end: 2,000 mixed-size requests through the default policy built from
 * `cohere({ plan: 'trial' })` (its limits, its token estimate reconciled from the usage each reply
 * reports), 50 callers, in fake time, against simulated servers that count at arrival.
 */
const W = 60_000;
const TRIAL = { calls: 40, tokens: 100_000 };

let clock: sinon.SinonFakeTimers;
beforeEach(() => {
  clock = sinon.useFakeTimers({
    now: 1_700_000_017_123,
    toFake: ['setTimeout', 'clearTimeout', 'Date'],
    loopLimit: 1_000_000,
  });
});
afterEach(() => clock.restore());

async function run(server: SimServer, seed: number, minChars: number, maxChars: number) {
  const rnd = prng(seed);
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const throttled: ThrottleEvent[] = [];
  const policy = createPolicy({
    ...cohere({ plan: 'trial' }),
    retry: { maxAttempts: 10 },
    on: { throttle: (e) => throttled.push(e) },
  });
  const jobs = Array.from({ length: 2_000 }, () => {
    const request = {
      model: 'command-r',
      messages: [{ role: 'user', content: 'x'.repeat(Math.round(between(minChars, maxChars))) }],
      max_tokens: 200,
    };
    const estimate = policy.estimate(request)!;
    // What the server bills: within ±20 % of the estimate.
    return { request, billed: Math.round(estimate * between(0.8, 1.2)) };
  });
  let next = 0;
  const caller = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      await policy.run(
        async () => {
          await sleep(systemClock, between(2, 20)); // send → arrival
          if (server.arrive(Date.now(), job.billed) !== 'ok') {
            throw {
              status: 429,
              body: { message: 'You are using a Trial key, which is limited to 40 API calls / minute.' },
            };
          }
          await sleep(systemClock, between(200, 2_000)); // generation
          return {
            message: { content: [] },
            usage: { billed_units: { input_tokens: job.billed - 150, output_tokens: 150 } },
          };
        },
        { tokens: policy.estimate(job.request) },
      );
    }
  };
  const done = Promise.all(Array.from({ length: 50 }, caller));
  await clock.runAllAsync();
  await done;
  const served = server.served;
  const spanMs = served.at(-1)!.time - served[0]!.time;
  const tokens = served.reduce((s, a) => s + a.tokens, 0);
  expect(clock.countTimers()).toBe(0);
  const r = {
    rejected: server.rejected,
    served: served.length,
    calls: ((served.length - TRIAL.calls) / spanMs) * (W / TRIAL.calls),
    tokens: ((tokens - TRIAL.tokens) / spanMs) * (W / TRIAL.tokens),
    throttled,
  };
  console.log(
    `${server.constructor.name}: 429s ${r.rejected}, served ${r.served}, calls ${(r.calls * 100).toFixed(2)} %, tokens ${(r.tokens * 100).toFixed(2)} % of the limit`,
  );
  return r;
}

describe('policy conformance: cohere({ plan: "trial" }), 2,000 requests, 50 callers', () => {
  for (const Server of [RollingWindowServer, FixedWindowServer]) {
    it(`${Server.name}: calls-bound, zero 429s at ≥ 99 % of 40/min`, async () => {
      const r = await run(new Server({ ...TRIAL, windowMs: W, tokenCheck: 'debt' }), 3, 200, 4_000);
      expect(r.rejected).toBe(0);
      expect(r.served).toBe(2_000);
      expect(r.calls).toBeGreaterThanOrEqual(0.99);
      expect(r.throttled.length).toBeGreaterThan(1_900);
      expect(r.throttled.every((e) => e.waitedMs > 0 && e.attempt === 1)).toBe(true);
    });

    it(`${Server.name}: tokens-bound, zero 429s at ≥ 95 % of 100k/min`, async () => {
      const r = await run(new Server({ ...TRIAL, windowMs: W, tokenCheck: 'debt' }), 5, 8_000, 24_000);
      expect(r.rejected).toBe(0);
      expect(r.served).toBe(2_000);
      expect(r.tokens).toBeGreaterThanOrEqual(0.95);
      expect(r.throttled.some((e) => e.dimension === 'tokens')).toBe(true);
    });
  }
});
