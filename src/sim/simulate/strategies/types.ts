import type { Clock } from '../../../clock.js';
import type { CallRecord } from '../record.js';
import type { ChatAnswer } from '../server.js';
import type { SimulateOptions, StrategyName } from '../types.js';
import type { WorkCall } from '../workload.js';

/** Sends one attempt of `call` to the server (the harness counts it). */
export type Send = (call: WorkCall, record: CallRecord, signal?: AbortSignal) => Promise<ChatAnswer>;

export interface StrategyContext {
  options: SimulateOptions;
  clock: Clock;
  send: Send;
}

/** One way of making the calls: it runs one call to the end and writes what happened into `record`. */
export interface Strategy {
  name: StrategyName;
  /** How the report names it. */
  label: string;
  /** Never rejects: a failed call sets `record.outcome` to its code. */
  run(call: WorkCall, record: CallRecord): Promise<void>;
}
