/**
 * How every example runs from the command line, one convention for all: `COHERE_API_KEY` (and
 * optionally `COHERE_BASE_URL`) for the real API; with neither set, the local Cohere emulator on
 * 127.0.0.1, said so on stderr. `npm run example -- got` and `npx tsx examples/got.ts` both come here.
 */
import { pathToFileURL } from 'node:url';
// In your code: `import { startEmulator } from 'steady/emulator'` (this repo runs its examples from src/).
import { startEmulator } from '../../src/sim/emulator/index.js';

export type Main = (baseUrl: string, apiKey: string) => Promise<string>;

const COHERE = 'https://api.cohere.com';

/** True when `moduleUrl` is the file node was asked to run (not imported by a test). */
export function isEntry(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;
}

/** Runs `main` against Cohere or, with no `COHERE_API_KEY` and no `COHERE_BASE_URL`, the emulator. */
export async function runExample(
  main: Main,
  { print = true, env = process.env }: { print?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const show = (text: string) => print && console.log(text);
  const key = env.COHERE_API_KEY;
  const base = env.COHERE_BASE_URL;
  if (!key && !base) {
    const emu = await startEmulator();
    console.error(`COHERE_API_KEY and COHERE_BASE_URL are not set: using the local emulator at ${emu.url}`);
    try {
      show(await main(emu.url, 'test-key'));
    } finally {
      await emu.close();
    }
    return;
  }
  if (!key) console.error(`COHERE_API_KEY is not set: calling ${base} without a key`);
  show(await main(base ?? COHERE, key ?? ''));
}

/** `runExample` (`print: false` for an example that prints as it goes) for an example's own `if (isEntry(import.meta.url))` block: errors set the exit code. */
export function runFromCli(main: Main, options: { print?: boolean } = {}): void {
  runExample(main, options).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
