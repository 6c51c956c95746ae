/**
 * The package as each kind of user gets it: `npm pack`, installed offline into a CommonJS project,
 * an ES module project and a TypeScript project (`module: nodenext`, both a .cts and a .mts file,
 * compiled by TypeScript 5.9 and 7), each of which loads every subpath in `exports` (read from
 * package.json, so a new subpath is covered without editing this test) and runs one call.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compile,
  compilers,
  manifest,
  type Packed,
  pack,
  project,
  run,
  specifiers,
  strictOptions,
} from './project.js';

let packed: Packed;
beforeAll(async () => {
  packed = await pack();
}, 60_000);
afterAll(() => packed?.remove());

/** Export names a module has, without the interop keys a loader may add. */
const names = (mod: object) =>
  Object.keys(mod)
    .filter((k) => k !== 'default' && k !== '__esModule')
    .sort();

/** What every consumer prints: each subpath's export names, one verdict and one call's value. */
interface Report {
  exports: Record<string, string[] | string>;
  verdict: { action: string; reason?: string };
  value: number;
}

/** The reference: the export names of each subpath of src, as this repo's ESM sees them. */
async function expected(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [key, target] of Object.entries(manifest.exports)) {
    if (key.endsWith('.json')) continue;
    const js = (target as { default: string }).default;
    const mod = (await import(
      join('../..', js.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'))
    )) as object;
    out[key === '.' ? manifest.name : manifest.name + key.slice(1)] = names(mod);
  }
  return out;
}

const cjsProbe = `
const specs = ${JSON.stringify(specifiers)};
const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
const loaded = {};
for (const s of specs) {
  try { loaded[s] = names(require(s)); } catch (e) { loaded[s] = 'ERROR ' + e.code + ': ' + e.message.split('\\n')[0]; }
}
const { createPolicy, cohere } = require('steady');
const policy = createPolicy(cohere());
const { action, reason } = policy.classify({ status: 503 });
(async () => {
  const value = await policy.run(() => 42);
  const same = require('steady') === (await import('steady'));
  console.log(JSON.stringify({ exports: loaded, verdict: { action, reason }, value, same }));
})();
`;

const esmProbe = `
const specs = ${JSON.stringify(specifiers)};
const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
const loaded = {};
for (const s of specs) {
  try { loaded[s] = names(await import(s)); } catch (e) { loaded[s] = 'ERROR ' + e.code + ': ' + e.message.split('\\n')[0]; }
}
const { createPolicy, cohere } = await import('steady');
const policy = createPolicy(cohere());
const { action, reason } = policy.classify({ status: 503 });
const value = await policy.run(() => 42);
console.log(JSON.stringify({ exports: loaded, verdict: { action, reason }, value }));
`;

/** The TypeScript probe: a static import of every subpath, typed use of the core. */
const tsProbe = `
${specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
import { cohere, createPolicy, type Policy, type Verdict } from 'steady';

const names = (m: object): string[] =>
  Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
const loaded: Record<string, string[]> = {
${specifiers.map((s, i) => `  '${s}': names(m${i}),`).join('\n')}
};
const policy: Policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 2 } });
const verdict: Verdict = policy.classify({ status: 503 });
async function main(): Promise<void> {
  const value: number = await policy.run(({ attempt }) => 41 + attempt, { tokens: policy.estimate('hi') ?? 0 });
  const { action } = verdict;
  const reason = verdict.action === 'ok' ? undefined : verdict.reason;
  console.log(JSON.stringify({ exports: loaded, verdict: { action, reason }, value }));
}
void main();
`;

/** A strict consumer: the settings a careful user turns on, declarations checked too. */
const tsconfig = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: {
      ...strictOptions,
      skipLibCheck: false,
      outDir: 'out',
      ...extra,
    },
    include: ['*.cts', '*.mts'],
  });

async function node(dir: string, file: string): Promise<Report & { same?: boolean }> {
  const { stdout } = await run(process.execPath, [file], { cwd: dir });
  return JSON.parse(stdout) as Report & { same?: boolean };
}

describe('the packed package', () => {
  it('holds dist/, LICENSE, README and CHANGELOG; no source maps, no src/, no tests', () => {
    const files = execFileSync('tar', ['-tzf', packed.tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/') && !/^[A-Z]+(\.md)?$|^package\.json$/.test(f))).toEqual(
      [],
    );
  });

  it('CommonJS: require() of every subpath works, and gives the same module as import()', async () => {
    const dir = await project(packed, 'cjs', {}, { 'probe.cjs': cjsProbe });
    const report = await node(dir, 'probe.cjs');
    expect(report.exports).toEqual(await expected());
    expect(report.verdict).toEqual({ action: 'retry', reason: 'server-error' });
    expect(report.value).toBe(42);
    expect(report.same).toBe(true); // one copy of the module: instanceof works across require and import
  }, 60_000);

  it('ES modules: import of every subpath works', async () => {
    const dir = await project(packed, 'esm', { type: 'module' }, { 'probe.mjs': esmProbe });
    const report = await node(dir, 'probe.mjs');
    expect(report.exports).toEqual(await expected());
    expect(report.verdict).toEqual({ action: 'retry', reason: 'server-error' });
    expect(report.value).toBe(42);
  }, 60_000);

  // The two compilers side by side: one spends its time checking declarations, the other waits on it.
  describe.concurrent.each(Object.entries(compilers))(
    '%s, module nodenext, exactOptionalPropertyTypes',
    (_, tsc) => {
      it('type-checks a .cts and a .mts file importing every subpath, and both run', async ({ expect }) => {
        const dir = await project(
          packed,
          `ts-${tsc.includes('typescript7') ? 7 : 5}`,
          {},
          {
            'tsconfig.json': tsconfig(),
            'index.cts': tsProbe,
            'index.mts': tsProbe,
          },
        );
        await compile(tsc, dir);
        const want = await expected();
        for (const file of ['out/index.cjs', 'out/index.mjs']) {
          const report = await node(dir, file);
          expect(report.exports, file).toEqual(want);
          expect(report.verdict, file).toEqual({ action: 'retry', reason: 'server-error' });
          expect(report.value, file).toBe(42);
        }
      }, 60_000);
    },
  );
});
