/** What `steady simulate` is asked to do, and what it reports. */
import type { FaultStatus } from '../emulator/types.js';

/** How calls arrive: at a steady pace, at random (Poisson) at that pace, or all at once. */
export type Arrival = 'uniform' | 'poisson' | 'burst';

/** The strategies `--compare` runs the same workload through. */
export type StrategyName = 'steady' | 'no-limiter' | 'fixed-window' | 'p-retry';

/** One kind of injected failure and the share of requests that draw it. */
export interface FaultShare {
  kind: FaultStatus | 'reset';
  /** In [0, 1]. */
  share: number;
}

/** A `[min, max]` range. */
export type Range = readonly [number, number];

export interface SimulateOptions {
  /** Calls in the workload. */
  calls: number;
  /** Calls arriving per minute (uniform and poisson). */
  rate: number;
  arrival: Arrival;
  /** Calls in flight at once at the client (a worker pool); Infinity for none. */
  concurrency: number;
  /** Input tokens of a call, drawn log-uniformly. */
  inputTokens: Range;
  /** `max_tokens` of a call, drawn log-uniformly; the answer uses 40–100 % of it. */
  outputTokens: Range;
  /** The key's limits at the server (and the policy's). */
  limits: { calls: number; tokens: number; plan: 'trial' | 'production' };
  /** How the server counts: a rolling minute (Cohere), fixed minutes, or a refilling bucket. */
  server: 'rolling' | 'fixed' | 'bucket';
  /** Server latency, drawn uniformly. */
  latencyMs: Range;
  /** The policy's `retry.maxAttempts`. */
  attempts: number;
  /** The policy's exponential backoff (full jitter): `[baseMs, maxMs]`. */
  backoffMs: Range;
  /** The policy's retry budget (`maxTokens`), or false for none. */
  budget: number | false;
  /** The classifier: Cohere's catalogue, or the generic HTTP rules. */
  preset: 'cohere' | 'http';
  faults: readonly FaultShare[];
  seed: number;
  /** Virtual time (the default), or real time over HTTP against the emulator. */
  clock: 'virtual' | 'real';
  /** Real mode only: how much faster than real time a minute runs. */
  timeScale: number;
  /** Strategies to run: `['steady']`, or all four with `--compare`. */
  strategies: readonly StrategyName[];
}

/** `p50`, `p95`, `p99` and `max` of a set of durations, in ms. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One rate against its limit: the mean over the run and the peak in any rolling window. */
export interface RateFigure {
  limit: number;
  perMinute: number;
  peakInAnyWindow: number;
}

/** What one strategy did with the workload. */
export interface StrategyReport {
  strategy: StrategyName;
  label: string;
  calls: { total: number; ok: number; failed: number; failedBy: Record<string, number> };
  /** Requests sent, the first attempt of each call included. */
  attempts: number;
  retries: { total: number; byReason: Record<string, number> };
  server: {
    /** Requests the server answered 200 (the only ones it charged). */
    accepted: number;
    /** The server's own 429s (limits exceeded), by limit. */
    rateLimited: { calls: number; tokens: number };
    /** Injected faults by kind (`'503'`, `'reset'`, …); an injected `'429'` is not the server's own. */
    injected: Record<string, number>;
  };
  waits: {
    /** Times a call waited for the client's limiter, and for how long in all, by dimension. */
    limiter: { count: number; totalMs: number; byDimension: Record<string, number> };
    /** Time spent waiting between attempts, summed over calls. */
    retryMs: number;
  };
  rate: { calls: RateFigure; tokens: RateFigure };
  /** Arrival to settling, per call. */
  latencyMs: Percentiles;
  /** Arrival to the first attempt, per call. */
  queueWaitMs: Percentiles;
  /** First arrival to last settling, on the run's clock. */
  durationMs: number;
}

export interface SimulateReport {
  options: SimulateOptions;
  /** One window of the limits, on the run's clock (60,000, or 60,000 / timeScale in real mode). */
  windowMs: number;
  results: StrategyReport[];
  /** Real milliseconds the whole run took. */
  wallMs: number;
}
