/**
 * Per-call overhead on the success path: `policy.run(async () => 1)` against a bare call,
 * p-retry 7 and cockatiel's retry policy, in the same process and interleaved rounds.
 * "with limits": the Cohere preset with calls and tokens limits (as `cohere({ plan: 'trial' })` sets)
 * that are never reached, so every call is admitted at once: the limiter's success path. "a free
 * clock": the same with a clock whose `now()` is a counter (in whole milliseconds, as `Date.now()`),
 * to show what the one clock read per admission costs (`Date.now()` is 40–90 ns on some VMs;
 * cockatiel reads no clock).
 * Run: npm run bench -- overhead
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import pRetry from 'p-retry';
import { createPolicy } from '../src/index.js';
import { cohere } from '../src/presets/index.js';
import { compare, table } from './lib.js';

const fn = async () => 1;
const steady = createPolicy({ retry: { maxAttempts: 5 } });
const steadyCohere = createPolicy({ ...cohere(), retry: { maxAttempts: 5 } });
const neverReached = {
  calls: { limit: 1e9, windowMs: 60_000 },
  tokens: { limit: 1e15, windowMs: 60_000 },
};
const steadyLimited = createPolicy({ ...cohere(), limits: neverReached, retry: { maxAttempts: 5 } });
let ticks = 0;
// A counter with Date.now()'s millisecond resolution (calls in one millisecond share a ledger entry).
const freeClock = {
  now: () => {
    ticks += 0.0003;
    return Math.floor(ticks);
  },
  setTimeout: (f: () => void, ms: number) => setTimeout(f, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
const steadyFreeClock = createPolicy({
  ...cohere(),
  limits: neverReached,
  clock: freeClock,
  retry: { maxAttempts: 5 },
});
const cockatiel = retry(handleAll, { maxAttempts: 4, backoff: new ExponentialBackoff() });

const n = Number(process.env.BENCH_N ?? 100_000);
const results = await compare(
  {
    bare: () => fn(),
    'steady policy.run': () => steady.run(fn),
    'steady policy.run (cohere preset)': () => steadyCohere.run(fn),
    'steady policy.run with limits': () => steadyLimited.run(fn),
    'steady policy.run with limits, { tokens: 1_200 }': () => steadyLimited.run(fn, { tokens: 1_200 }),
    'steady policy.run with limits, a free clock': () => steadyFreeClock.run(fn),
    'cockatiel retry.execute': () => cockatiel.execute(fn),
    'p-retry 7': () => pRetry(fn, { retries: 4 }),
  },
  { n },
);

const bare = results.bare!;
const cock = results['cockatiel retry.execute']!;
console.log(`\n## Success-path overhead (${n} calls a round, median of 9 rounds, node ${process.version})\n`);
console.log(
  table(
    ['case', 'ns/op', 'vs cockatiel', 'overhead ns/op', 'overhead vs cockatiel'],
    Object.entries(results).map(([name, ns]) => [
      name,
      ns.toFixed(0),
      name === 'bare' ? '' : `${(ns / cock).toFixed(2)}×`,
      (ns - bare).toFixed(0),
      name === 'bare' ? '' : `${((ns - bare) / (cock - bare)).toFixed(2)}×`,
    ]),
  ),
);
