/**
 * A consumer's project, as a user gets it: the package packed by `npm pack` from the built dist/,
 * installed by npm from that tarball into a temp folder, offline. Its peers (got, axios, …) and
 * `@types/node` are linked from this repo's node_modules, so nothing reaches a registry.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const repo = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The two compilers a user may have: the pinned TypeScript 5.9 and TypeScript 7 (`typescript7`). */
export const compilers = {
  'TypeScript 5.9': join(repo, 'node_modules/typescript/bin/tsc'),
  'TypeScript 7': join(repo, 'node_modules/typescript7/bin/tsc'),
} as const;

interface Manifest {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
}
/** What a careful TypeScript user turns on: the settings every consumer project here compiles with. */
export const strictOptions = Object.freeze({
  module: 'nodenext',
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
});

export const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Manifest;

/** Every import specifier the package exports (`steady`, `steady/got`, …), read from `exports`. */
export const specifiers = Object.keys(manifest.exports)
  .filter((key) => !key.endsWith('.json'))
  .map((key) => (key === '.' ? manifest.name : manifest.name + key.slice(1)));

export interface Packed {
  dir: string;
  tarball: string;
  remove(): void;
}

/** Packs the built package into a new temp folder (dist/ must be built: `npm run build`). */
export async function pack(): Promise<Packed> {
  if (!existsSync(join(repo, 'dist/index.js'))) {
    throw new Error('dist/ is not built: run `npm run build` first (`npm run test:package` does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'steady-package-'));
  // --ignore-scripts: `prepack` would build again; the caller built dist/ already.
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: repo,
  });
  const tarball = join(dir, stdout.trim().split('\n').pop()!);
  return { dir, tarball, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A project in `packed.dir/name` with this package.json, the tarball installed, peers linked. */
export async function project(
  packed: Packed,
  name: string,
  pkg: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = join(packed.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...pkg }));
  await run(
    npm,
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      packed.tarball,
    ],
    { cwd: dir },
  );
  // After npm install (which would prune them): the peers a user installs next to steady.
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  for (const peer of [...Object.keys(manifest.peerDependencies), '@types/node']) {
    const from = join(repo, 'node_modules', peer);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(dir, 'node_modules', peer)), { recursive: true }); // a scope: @opentelemetry/
    symlinkSync(from, join(dir, 'node_modules', peer), 'dir');
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** `tsc -p dir` with one of the compilers; resolves with its output, rejects with it on errors. */
export async function compile(tsc: string, dir: string, args: string[] = []): Promise<string> {
  try {
    const cwd = dir.endsWith('.json') ? dirname(dir) : dir;
    const { stdout } = await run(process.execPath, [tsc, '-p', dir, ...args], { cwd });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${tsc} -p ${dir} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}` || e.message);
  }
}
