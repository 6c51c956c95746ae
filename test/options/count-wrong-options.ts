/**
 * Counts how the rows of `wrong-options.ts` fare against a build of steady's sources: named (the
 * error names the option's path), unnamed (an error that does not), accepted (no error at all).
 *
 *   npx tsx test/options/count-wrong-options.ts [root of a steady checkout, default .] [-v]
 *
 * Not a test: `options.test.ts` asserts every row is named; this is for comparing two builds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { attempt, type Lib, type Result, WRONG_OPTIONS } from './wrong-options.js';

const root = resolve(process.argv[2] && process.argv[2] !== '-v' ? process.argv[2] : '.');
const verbose = process.argv.includes('-v');
const load = (path: string) => import(pathToFileURL(`${root}/src/${path}`).href);
const lib = {
  ...(await load('index.ts')),
  wrapClient: (await load('adapters/sdk/index.ts')).wrapClient,
  testClock: (await load('testing.ts')).testClock,
} as Lib;

// A wrong option that only shows at run time may leave a stray rejection behind: it is counted, not fatal.
process.on('unhandledRejection', () => {});
const counts: Record<Result['kind'], number> = { named: 0, unnamed: 0, accepted: 0 };
for (const row of WRONG_OPTIONS) {
  const result = await attempt(row, lib);
  counts[result.kind]++;
  if (verbose || result.kind !== 'named') {
    const message = result.kind === 'accepted' ? '' : result.message.slice(0, 140);
    console.log(`${result.kind.padEnd(9)} ${row.what.padEnd(55)} ${message}`);
  }
}
console.log(`${WRONG_OPTIONS.length} rows: ${JSON.stringify(counts)}`);
process.exit(0);
