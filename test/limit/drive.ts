import type sinon from 'sinon';
import { sleep, systemClock } from '../../src/clock.js';
import type { SteadyLimiter } from '../../src/limit/index.js';
import type { SimServer } from './servers.js';

/** A small seeded PRNG (mulberry32), so every run draws the same workload. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Workload {
  requests: number;
  concurrency: number;
  /** Estimated tokens are drawn uniformly in [min, max]. */
  minTokens: number;
  maxTokens: number;
  /** The real usage is the estimate × a factor drawn uniformly in [lo, hi]. */
  actual: [number, number];
  seed: number;
}

export interface RunResult {
  /** 429s the server answered. */
  rejected: number;
  served: number;
  /** Virtual time from the first to the last arrival the server served. */
  spanMs: number;
  /** Steady-state rates over the run: (served − one window's limit) / span, per ms. */
  callsRate: number;
  tokensRate: number;
}

/**
 * Drives `workload` through `limiter` into `server` in fake time: `concurrency` callers, each taking
 * the next request, acquiring, sending (arrival 2–20 ms later), waiting for the response (0.2–2 s),
 * then committing the real usage. On a 429 the caller refunds, pauses the limiter 1 s and retries
 * through the limiter. Returns once every request is served.
 */
export async function drive(
  clock: sinon.SinonFakeTimers,
  limiter: SteadyLimiter,
  server: SimServer,
  w: Workload,
  limits: { calls: number; tokens: number },
): Promise<RunResult> {
  const rnd = prng(w.seed);
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const jobs = Array.from({ length: w.requests }, () => {
    const estimate = Math.round(between(w.minTokens, w.maxTokens));
    return { estimate, actual: Math.round(estimate * between(...w.actual)) };
  });
  let next = 0;
  const caller = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      for (;;) {
        const r = await limiter.acquire({ calls: 1, tokens: job.estimate });
        await sleep(systemClock, between(2, 20));
        if (server.arrive(Date.now(), job.actual) === 'ok') {
          await sleep(systemClock, between(200, 2_000));
          r.commit({ tokens: job.actual });
          break;
        }
        r.refund();
        limiter.pause(1_000, 'calls');
      }
    }
  };
  const done = Promise.all(Array.from({ length: w.concurrency }, caller));
  await clock.runAllAsync();
  await done;
  const served = server.served;
  const spanMs = served.at(-1)!.time - served[0]!.time;
  const tokens = served.reduce((s, a) => s + a.tokens, 0);
  return {
    rejected: server.rejected,
    served: served.length,
    spanMs,
    callsRate: (served.length - limits.calls) / spanMs,
    tokensRate: (tokens - limits.tokens) / spanMs,
  };
}
