/** One strategy over the workload in virtual time, against the in-process server. */
import { seededRandom } from '../../testing.js';
import { type CallRecord, newRecord } from './record.js';
import { type ServerEvent, VirtualServer } from './server.js';
import { Slots } from './slots.js';
import { STRATEGIES } from './strategies/index.js';
import type { SimulateOptions, StrategyName } from './types.js';
import { VirtualClock } from './virtual-clock.js';
import { workload } from './workload.js';

export interface RunResult {
  strategy: StrategyName;
  label: string;
  records: CallRecord[];
  events: readonly ServerEvent[];
  server: VirtualServer;
}

/** Runs every call to its end; `onProgress(settled, total)` after each timer. */
export async function runVirtual(
  options: SimulateOptions,
  name: StrategyName,
  onProgress?: (settled: number, total: number) => void,
): Promise<RunResult> {
  const clock = new VirtualClock();
  const server = new VirtualServer(options, clock);
  const calls = workload(options, seededRandom(options.seed + 1));
  const strategy = STRATEGIES[name]({
    options,
    clock,
    send: (call, record, signal) => {
      record.attempts++;
      record.startedAt ??= clock.now();
      return server.request(call.inputTokens, call.outputTokens, signal);
    },
  });
  const slots = new Slots(options.concurrency);
  const records: CallRecord[] = [];
  let settled = 0;
  for (const call of calls) {
    clock.setTimeout(() => {
      const record = newRecord(call.id, clock.now());
      records.push(record);
      void slots
        .run(() => strategy.run(call, record))
        .then(() => {
          record.settledAt = clock.now();
          settled++;
        });
    }, call.at);
  }
  await clock.run(onProgress && (() => onProgress(settled, calls.length)));
  if (settled !== calls.length)
    throw new Error(`steady simulate: ${calls.length - settled} calls never settled (${name})`);
  return { strategy: name, label: strategy.label, records, events: server.events, server };
}
