#!/usr/bin/env node
/**
 * The `steady` command: `steady simulate [flags]` (`npm start` runs it). Bad flags print one line
 * naming the flag and exit with code 2.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseSimulateArgs, UsageError } from './simulate/args.js';
import { textReport } from './simulate/format.js';
import { HELP } from './simulate/help.js';
import { type ProgressStream, progressBar } from './simulate/progress.js';
import { simulate } from './simulate/simulate.js';
import { renderSvg } from './simulate/svg.js';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

const USAGE = 'usage: steady simulate [flags]  (steady simulate --help)';

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (command !== 'simulate') {
    io.stderr.write(`steady: unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseSimulateArgs>;
  try {
    parsed = parseSimulateArgs(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`steady simulate: ${error.message}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const bar = progressBar(io.stderr);
  const { report, runs } = await simulate(parsed.options, {
    onProgress: (strategy, done, total) => bar.update(strategy, done, total),
  }).finally(() => bar.end());
  if (parsed.svg !== undefined) writeFileSync(parsed.svg, renderSvg(runs, parsed.options));
  if (parsed.json) io.stdout.write(`${JSON.stringify(report, jsonSafe, 2)}\n`);
  else io.stdout.write(`${textReport(report).join('\n')}\n`);
  if (parsed.svg !== undefined && !parsed.json) io.stdout.write(`picture: ${parsed.svg}\n`);
  return 0;
}

/** JSON has no Infinity: an unbounded concurrency is written as null. */
const jsonSafe = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`steady: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
