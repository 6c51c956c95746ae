/**
 * `npm run example -- <name>`: runs examples/<name>.ts (got, axios, fetch, cohere-sdk, p-retry,
 * bottleneck) under the one convention of examples/lib/cli.ts.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Provider } from '../../src/sim/emulator/index.js';
import { type Main, runFromCli } from './cli.js';

const dir = fileURLToPath(new URL('../', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const name = process.argv[2];

if (!name || !names.includes(name)) {
  console.error(
    `${name ? `no example "${name}"` : 'which example?'}: npm run example -- <${names.join(' | ')}>\n` +
      'With COHERE_API_KEY (and optionally COHERE_BASE_URL) set it calls the API; with neither, the local emulator.',
  );
  process.exitCode = 2;
} else {
  const mod = (await import(pathToFileURL(`${dir}${name}.ts`).href)) as {
    main: Main;
    printsItself?: boolean;
    provider?: Provider;
  };
  runFromCli(mod.main, { print: !mod.printsItself, ...(mod.provider && { provider: mod.provider }) });
}
