/**
 * Every ```ts block of the README, type-checked as a user's file against the packed package under
 * `exactOptionalPropertyTypes`, by TypeScript 5.9 and TypeScript 7. A block is a fragment: the names
 * it uses without declaring (`policy`, `req`, `base`…) get the declarations below, and the steady
 * functions it calls without importing get their import.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, compilers, type Packed, pack, project, repo, strictOptions } from './project.js';

/** What a fragment may use without declaring it, as the surrounding text of the README implies. */
const CONTEXT: Record<string, string> = {
  createPolicy: "import { createPolicy } from 'steady';",
  cohere: "import { cohere } from 'steady';",
  pRetry: "import pRetry from 'p-retry';",
  pRetryOptions: "import { pRetryOptions } from 'steady/p-retry';",
  bottleneckFailed: "import { bottleneckFailed } from 'steady/bottleneck';",
  policy: "declare const policy: import('steady').Policy;",
  req: "declare const req: import('cohere-ai').Cohere.V2ChatRequest;",
  request: "declare const request: import('cohere-ai').Cohere.V2ChatRequest;",
  base: 'declare const base: string;',
  headers: 'declare const headers: Record<string, string>;',
  token: 'declare const token: string;',
  api: "declare const api: import('got').Got;",
  userSignal: 'declare const userSignal: AbortSignal;',
  limiter: "declare const limiter: import('bottleneck').default;",
  call: 'declare function call(): Promise<string>;',
  flaky: 'declare function flaky(): Promise<string>;',
  // The per-endpoint limits section: a call of yours and the texts it embeds.
  fn: 'declare function fn(): Promise<string>;',
  texts: 'declare const texts: string[];',
  // pino's own logging methods: (object, message?, ...interpolation) on a logger with a level.
  pino: 'type LogFn = (obj: object, msg?: string, ...args: unknown[]) => void;\ndeclare function pino(): { level: string; debug: LogFn; info: LogFn; warn: LogFn; error: LogFn };',
  // The quick start passes `(request, { signal })`, the job-worker section `(job.data, signal)`.
  callCohere:
    'declare function callCohere(request: unknown, signal: AbortSignal | { signal: AbortSignal }): Promise<string>;',
  redis: "declare const redis: import('ioredis').Redis;",
  apiKey: 'declare const apiKey: string;',
  connection: "declare const connection: import('bullmq').ConnectionOptions;",
  // A job runner of your own (the policy.decide section).
  error: 'declare const error: unknown;',
  job: 'declare const job: { attempt: number; firstStartedAt: number };',
  queue:
    'declare const queue: { retryIn(job: unknown, delayMs: number): Promise<void>; fail(job: unknown, error: Error): Promise<void> };',
};

interface Block {
  line: number;
  code: string;
}

/** The README's ```ts blocks, with the line each starts on. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== '```') i++;
    out.push({ line: start + 1, code: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return out;
}

/** The fragment as a module: the context it needs, then the block itself. */
function asModule({ code }: Block): string {
  const declared = (name: string) =>
    new RegExp(`\\b(const|let|function|class)\\s+${name}\\b`).test(code) ||
    new RegExp(`^import[^;]*\\b${name}\\b[^;]*from`, 'm').test(code);
  const uses = code.replaceAll('...', ' '); // `...cohere()` uses cohere; `x.cohere` or `cohere:` does not
  const needed = Object.entries(CONTEXT)
    .filter(([name]) => new RegExp(`(?<![.\\w])${name}\\b(?!\\s*:)`).test(uses) && !declared(name))
    .map(([, line]) => line);
  return `${needed.join('\n')}\n${code}\nexport {};\n`;
}

const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const snippets = blocks(readme);

let packed: Packed;
let dir: string;
beforeAll(async () => {
  packed = await pack();
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { ...strictOptions, noEmit: true },
      include: ['*.mts'],
    }),
    // The claim in the README: without @types/node, the DOM lib is enough for the core, fetch and testing.
    'tsconfig.dom.json': JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['dom-only.mts'],
    }),
    'dom-only.mts': [
      "import { cohere, createPolicy } from 'steady';",
      "import { steadyFetch } from 'steady/fetch';",
      "import { seededRandom, testClock } from 'steady/testing';",
      'const policy = createPolicy({ ...cohere(), clock: testClock(), random: seededRandom(1) });',
      "export const res: Promise<Response> = steadyFetch(policy)('http://127.0.0.1:1/v2/chat');",
    ].join('\n'),
  };
  snippets.forEach((b) => {
    files[`readme-line-${b.line}.mts`] = asModule(b);
  });
  dir = await project(packed, 'readme', { type: 'module' }, files);
}, 60_000);
afterAll(() => packed?.remove());

describe('README code', () => {
  it('has the blocks this test compiles (quick start first)', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    expect(snippets[0]!.code).toContain("import { createPolicy, cohere } from 'steady';");
  });

  describe.concurrent.each(Object.entries(compilers))('%s', (_, tsc) => {
    it('every ```ts block type-checks under exactOptionalPropertyTypes (files named by README line)', async ({
      expect,
    }) => {
      await expect(compile(tsc, dir)).resolves.toBe('');
    }, 60_000);

    it('the core, steady/fetch and steady/testing need only the DOM lib when @types/node is absent', async ({
      expect,
    }) => {
      await expect(compile(tsc, join(dir, 'tsconfig.dom.json'))).resolves.toBe('');
    }, 60_000);
  });
});
