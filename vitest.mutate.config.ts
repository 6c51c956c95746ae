import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suite as `npm run mutate` runs it: without the runs that take real seconds (the load run, the
 * demo, the examples), which cover adapters and the emulator rather than the mutated core, and
 * whose real-time timing would only make mutants look like timeouts.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/load/**', 'test/sim/demo.test.ts', 'test/examples.test.ts', 'node_modules/**'],
    },
  }),
);
