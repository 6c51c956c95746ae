import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suite as `npm run mutate` runs it: without the runs that take real seconds (the load run, the
 * demo, the examples), which cover adapters and the emulator rather than the mutated core, and
 * whose real-time timing would only make mutants look like timeouts.
 */
/**
 * `MUTATE_TESTS` (comma-separated globs) narrows the run to the test folders near the mutated code,
 * e.g. `MUTATE_TESTS='test/budget/**,test/policy/**' npx stryker run --mutate 'src/budget/**'`: far
 * quicker on a shared machine, and a lower bound on the score the whole suite gives.
 */
/** A folder (`test/budget`, `test/telemetry/**`) means its test files; `test/policy/backoff*` the files it starts. */
const testsOf = (g: string) => {
  if (g.endsWith('.ts')) return g;
  return g.endsWith('**') || !g.includes('*') ? `${g}/*.test.ts` : `${g}.test.ts`;
};
const near = process.env.MUTATE_TESTS?.split(',').map(testsOf);

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/load/**', 'test/examples.test.ts', 'node_modules/**'],
    },
  }),
);
// mergeConfig concatenates arrays: the narrowed include replaces the base one here.
if (near && config.test) config.test.include = near;

export default config;
