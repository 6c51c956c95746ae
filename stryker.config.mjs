// Mutation testing (`npm run mutate`): not in CI (too slow), a habit before a change is called done.
// `npm run mutate -- --mutate 'src/limit/**/*.ts'` narrows it to what you changed. Incremental: only
// mutants whose code or covering tests changed since the last run are tested again
// (reports/stryker-incremental.json, kept out of git). Survivors that are equivalent (no observable
// change) are listed by file and line in stryker-equivalent.md, beside this file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  coverageAnalysis: 'perTest',
  checkers: [],
  mutate: [
    'src/classify/**/*.ts',
    'src/backoff/**/*.ts',
    'src/limit/**/*.ts',
    'src/policy/**/*.ts',
    'src/budget/**/*.ts',
    'src/stores/**/*.ts',
    'src/adapters/bullmq/**/*.ts',
    'src/telemetry/**/*.ts',
    '!src/**/index.ts',
    '!src/**/types.ts',
  ],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation.html' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
