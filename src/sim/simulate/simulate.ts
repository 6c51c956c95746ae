/** `steady simulate` without the command line: the options in, the report out. */
import { runReal } from './run-real.js';
import { type RunResult, runVirtual } from './run-virtual.js';
import { summarise } from './summarise.js';
import type { SimulateOptions, SimulateReport, StrategyName } from './types.js';

export interface SimulateHooks {
  /** After each step of a run: calls settled of `total`, for a progress bar. */
  onProgress?: (strategy: StrategyName, settled: number, total: number) => void;
}

export interface SimulateResult {
  report: SimulateReport;
  /** The virtual runs, for the picture (none in real mode). */
  runs: RunResult[];
}

export async function simulate(options: SimulateOptions, hooks: SimulateHooks = {}): Promise<SimulateResult> {
  const started = performance.now();
  if (options.clock === 'real') {
    const { result, windowMs } = await runReal(options, (s, t) => hooks.onProgress?.('steady', s, t));
    return {
      report: { options, windowMs, results: [result], wallMs: performance.now() - started },
      runs: [],
    };
  }
  const runs: RunResult[] = [];
  for (const name of options.strategies) {
    runs.push(await runVirtual(options, name, (s, t) => hooks.onProgress?.(name, s, t)));
  }
  const results = runs.map((run) =>
    summarise({
      strategy: run.strategy,
      label: run.label,
      records: run.records,
      stats: run.server.state.stats.snapshot(),
      options,
      windowMs: 60_000,
    }),
  );
  return { report: { options, windowMs: 60_000, results, wallMs: performance.now() - started }, runs };
}
