/**
 * `npm start`: a hundred Cohere chat calls at once on one trial key, through `steadyFetch`, against
 * the embedded emulator (no API key, no network). Random faults from Cohere's error catalogue are
 * retried; the limiter keeps the key inside 40 calls and 100,000 tokens a (scaled) minute.
 *
 *   npm start                       # or: npx tsx src/sim/demo.ts [calls] [timeScale] [seed]
 */
import { pathToFileURL } from 'node:url';
import { runDemo } from './demo/run.js';

export { DEMO_FAULTS, runDemo, scaleLimits } from './demo/run.js';
export type { CallFacts, RetryFact } from './demo/tracker.js';
export type { DemoOptions, DemoSummary } from './demo/types.js';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [calls, timeScale, seed] = process.argv
    .slice(2, 5)
    .map((a) => (a === undefined ? undefined : Number(a)));
  runDemo({ calls, timeScale, seed }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
