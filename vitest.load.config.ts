import { defineConfig } from 'vitest/config';

/**
 * The load and fault run (test/load), on its own after the rest of the suite (`npm test` runs
 * both): it keeps a core busy for ~15 s, and the tests that run on real time (the demo, the
 * examples) should not share it.
 */
export default defineConfig({
  test: { include: ['test/load/**/*.test.ts'], testTimeout: 90_000, pool: 'forks', maxWorkers: 1 },
});
