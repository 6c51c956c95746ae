/**
 * How every example runs from the command line, one convention for all: `COHERE_API_KEY` (and
 * optionally `COHERE_BASE_URL`) for the real API; with neither set, the local Cohere emulator on
 * 127.0.0.1, said so on stderr. The OpenAI and Anthropic examples (`export const provider`) read
 * `OPENAI_API_KEY` / `OPENAI_BASE_URL` or `ANTHROPIC_API_KEY` / `ANTHROPIC_BASE_URL` the same way,
 * and use the emulator speaking their API. `npm run example -- got` and `npx tsx examples/got.ts`
 * both come here.
 */
import { pathToFileURL } from 'node:url';
// In your code: `import { startEmulator } from 'steady/emulator'` (this repo runs its examples from src/).
import { type Provider, startEmulator } from '../../src/sim/emulator/index.js';

export type Main = (baseUrl: string, apiKey: string) => Promise<string>;

const APIS: Record<Provider, { key: string; base: string; url: string }> = {
  cohere: { key: 'COHERE_API_KEY', base: 'COHERE_BASE_URL', url: 'https://api.cohere.com' },
  openai: { key: 'OPENAI_API_KEY', base: 'OPENAI_BASE_URL', url: 'https://api.openai.com' },
  anthropic: { key: 'ANTHROPIC_API_KEY', base: 'ANTHROPIC_BASE_URL', url: 'https://api.anthropic.com' },
};

/** True when `moduleUrl` is the file node was asked to run (not imported by a test). */
export function isEntry(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;
}

export interface RunOptions {
  print?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Whose API the example calls. @default 'cohere' */
  provider?: Provider;
}

/** Runs `main` against the provider's API or, with no `…_API_KEY` and no `…_BASE_URL`, the emulator. */
export async function runExample(
  main: Main,
  { print = true, env = process.env, provider = 'cohere' }: RunOptions = {},
): Promise<void> {
  const show = (text: string) => print && console.log(text);
  const api = APIS[provider];
  const key = env[api.key];
  const base = env[api.base];
  if (!key && !base) {
    const emu = await startEmulator({ provider });
    console.error(`${api.key} and ${api.base} are not set: using the local emulator at ${emu.url}`);
    try {
      show(await main(emu.url, 'test-key'));
    } finally {
      await emu.close();
    }
    return;
  }
  if (!key) console.error(`${api.key} is not set: calling ${base} without a key`);
  show(await main(base ?? api.url, key ?? ''));
}

/** `runExample` (`print: false` for an example that prints as it goes) for an example's own `if (isEntry(import.meta.url))` block: errors set the exit code. */
export function runFromCli(main: Main, options: Omit<RunOptions, 'env'> = {}): void {
  runExample(main, options).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
