import { defineConfig } from 'vitest/config';

/**
 * The package as users get it (test/package): packs the built dist/, installs the tarball offline
 * into CommonJS, ES module and TypeScript projects. Needs `npm run build` first; `npm run
 * test:package` does both, and CI runs it after its build.
 */
export default defineConfig({
  test: { include: ['test/package/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks' },
});
