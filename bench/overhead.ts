/**
 * Per-call overhead on the success path: `policy.run(async () => 1)` against a bare call,
 * p-retry 7 and cockatiel's retry policy, in the same process and interleaved rounds.
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
const cockatiel = retry(handleAll, { maxAttempts: 4, backoff: new ExponentialBackoff() });

const n = Number(process.env.BENCH_N ?? 100_000);
const results = await compare(
  {
    bare: () => fn(),
    'steady policy.run': () => steady.run(fn),
    'steady policy.run (cohere preset)': () => steadyCohere.run(fn),
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
    ['case', 'ns/op', 'overhead ns/op', 'overhead vs cockatiel'],
    Object.entries(results).map(([name, ns]) => [
      name,
      ns.toFixed(0),
      (ns - bare).toFixed(0),
      name === 'bare' ? '' : `${((ns - bare) / (cock - bare)).toFixed(2)}×`,
    ]),
  ),
);
