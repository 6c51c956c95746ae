import type { EmulatorStats } from '../emulator/types.js';
import type { CallFacts } from './tracker.js';

/** Options of `runDemo`. */
export interface DemoOptions {
  /** Chat calls sent at once. @default 100 */
  calls?: number;
  /** How much faster than real time the emulator's (and the limiter's) minute runs. @default 12 */
  timeScale?: number;
  /** Seeds the prompts, the emulator's faults and latencies, and the policy's jitter. @default 7 */
  seed?: number;
  /** Share of requests that fail at random, in [0, 1]. @default 0.15 */
  faultRate?: number;
  /** Where each line goes. @default console.log */
  out?: (line: string) => void;
}

/** What the demo saw: the client's side from the policy's hooks, the server's from the emulator. */
export interface DemoSummary {
  calls: number;
  ok: number;
  failed: number;
  /** Failed calls by error code (`ERR_RETRIES_EXHAUSTED`, …). */
  failedByCode: Record<string, number>;
  /** Attempts over all calls (attempt 1 is the first call). */
  attempts: number;
  retries: number;
  retriesByReason: Record<string, number>;
  /** Waits for the limiter: calls that waited, total and longest wait per call, waits by dimension. */
  queued: { calls: number; totalMs: number; maxMs: number; byDimension: Record<string, number> };
  /** The limits the key has (per scaled minute). */
  limits: { calls: number; tokens: number };
  /** The emulator's own figures (its `rateLimited` counts only its own 429s, not the injected ones). */
  emulator: Pick<
    EmulatorStats,
    'requests' | 'rateLimited' | 'maxCallsInAnyWindow' | 'maxTokensInAnyWindow' | 'tokensBilled'
  > & {
    /** Faults injected, by kind (`'503'`, `'reset'`, …): the emulator's `byFault`. */
    injected: EmulatorStats['byFault'];
    /** One scaled minute, in real milliseconds. */
    windowMs: number;
  };
  wallMs: number;
  /** One entry per call, in call order. */
  perCall: CallFacts[];
}
