/**
 * The peer matrix (`npm run test:peers [name@version …]`): for each peer version, installs it from
 * the registry into its own temp folder, builds a temp copy of this repo whose node_modules links
 * every package here except that peer (linked to the installed version instead), then type-checks
 * and runs that adapter's tests and example there. With no arguments: the minimum of every peer
 * range and the latest of each major the range allows that the devDependencies do not already pin.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repo } from './project.js';

const run = promisify(execFile);

/** The files that exercise each peer: its adapter's tests and its example. */
const FILES: Record<string, string[]> = {
  got: ['test/adapters/got.test.ts', 'examples/got.ts'],
  axios: ['test/adapters/axios.test.ts', 'examples/axios.ts'],
  'cohere-ai': ['test/adapters/sdk.test.ts', 'test/adapters/sdk-stream.test.ts', 'examples/cohere-sdk.ts'],
  'p-retry': ['test/adapters/p-retry.test.ts', 'examples/p-retry.ts'],
  bottleneck: ['test/adapters/bottleneck.test.ts', 'examples/bottleneck.ts'],
  ioredis: ['test/stores/redis-store.test.ts'],
  bullmq: ['test/adapters/bullmq', 'examples/job-worker.ts'],
  '@opentelemetry/api': ['test/telemetry', 'examples/otel.ts'],
  openai: [
    'test/adapters/sdk-clients.test.ts',
    'test/adapters/sdk-stainless.test.ts',
    'examples/openai-sdk.ts',
  ],
  '@anthropic-ai/sdk': [
    'test/adapters/sdk-clients.test.ts',
    'test/adapters/sdk-stainless.test.ts',
    'examples/anthropic-sdk.ts',
  ],
};

/**
 * Minimums of the peer ranges, and latest releases of majors the ranges allow beyond the
 * devDependencies. `types: false`: the runtime tests pass but src/ itself does not type-check
 * against that version (a user's code sees only dist/'s declarations, which do not use the API).
 */
const DEFAULT: { spec: string; types?: false; why?: string }[] = [
  { spec: 'got@14.0.0' },
  { spec: 'axios@1.6.0', types: false, why: "getAdapter's config argument is typed from 1.21.1" },
  { spec: 'p-retry@7.1.0' },
  { spec: 'p-retry@9.0.0' },
  { spec: 'bottleneck@2.19.1' },
  { spec: 'ioredis@5.3.1' },
  { spec: 'bullmq@5.0.0' },
  { spec: '@opentelemetry/api@1.9.0' },
  { spec: 'openai@7.0.0' },
  { spec: '@anthropic-ai/sdk@1.0.0' },
];

async function check(spec: string, types = true): Promise<boolean> {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at);
  const files = FILES[name];
  if (!files) throw new Error(`no tests listed for peer "${name}" (known: ${Object.keys(FILES).join(', ')})`);
  const root = mkdtempSync(join(tmpdir(), `steady-peer-${name.replace('/', '+')}-`));
  try {
    const install = join(root, 'install');
    mkdirSync(install);
    writeFileSync(join(install, 'package.json'), '{"private":true}');
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', spec], {
      cwd: install,
    });
    const copy = join(root, 'repo');
    mkdirSync(join(copy, 'node_modules'), { recursive: true });
    for (const entry of ['src', 'test', 'examples', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
      cpSync(join(repo, entry), join(copy, entry), { recursive: true });
    }
    // A scoped peer (@opentelemetry/api): its scope is a folder of links, all but the peer's.
    const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
    for (const entry of readdirSync(join(repo, 'node_modules'))) {
      if (entry === name || entry === scope) continue;
      symlinkSync(join(repo, 'node_modules', entry), join(copy, 'node_modules', entry));
    }
    if (scope) {
      mkdirSync(join(copy, 'node_modules', scope));
      for (const entry of readdirSync(join(repo, 'node_modules', scope))) {
        if (`${scope}/${entry}` === name) continue;
        symlinkSync(join(repo, 'node_modules', scope, entry), join(copy, 'node_modules', scope, entry));
      }
    }
    symlinkSync(join(install, 'node_modules', name), join(copy, 'node_modules', name));
    writeFileSync(
      join(copy, 'tsconfig.peer.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: files }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const tests = files.filter((f) => f.startsWith('test/'));
    const steps: [string, string[]][] = [
      ...(types ? [['type-check', [tsc, '-p', 'tsconfig.peer.json']] as [string, string[]]] : []),
      ['tests', [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', ...tests, 'test/examples.test.ts']],
    ];
    const failed: string[] = [];
    for (const [step, args] of steps) {
      try {
        await run(process.execPath, args, { cwd: copy, maxBuffer: 1 << 26 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        failed.push(step);
        console.log(`✗ ${spec}: ${step} failed\n${(e.stdout ?? '') + (e.stderr ?? '')}`.slice(-6000));
      }
    }
    const done = steps.map(([step]) => step).join(' and ');
    if (failed.length === 0)
      console.log(`✓ ${spec}: ${done} (${[...tests, 'test/examples.test.ts'].join(', ')}) pass`);
    else if (failed.length < steps.length)
      console.log(`✗ ${spec}: only ${steps.map(([s]) => s).filter((s) => !failed.includes(s))} pass`);
    return failed.length === 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Arguments: `name@version` (type-check and tests) or `name@version:runtime` (tests only).
const args = process.argv.slice(2);
const specs =
  args.length > 0
    ? args.map((a) =>
        a.endsWith(':runtime') ? { spec: a.slice(0, -8), types: false as const } : { spec: a },
      )
    : DEFAULT;
let ok = true;
for (const entry of specs) {
  if ('why' in entry) console.log(`· ${entry.spec}: tests only, no type-check of src/ (${entry.why})`);
  ok = (await check(entry.spec, entry.types ?? true)) && ok;
}
process.exitCode = ok ? 0 : 1;
