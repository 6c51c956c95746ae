/** A run's records and the server's stats, added up into a `StrategyReport`. */
import type { EmulatorStats } from '../emulator/types.js';
import type { CallRecord } from './record.js';
import { bump, percentiles } from './stats.js';
import type { SimulateOptions, StrategyName, StrategyReport } from './types.js';

export interface SummaryInput {
  strategy: StrategyName;
  label: string;
  records: readonly CallRecord[];
  stats: EmulatorStats;
  options: SimulateOptions;
  /** The limits' window on the run's clock. */
  windowMs: number;
}

export function summarise({
  strategy,
  label,
  records,
  stats,
  options,
  windowMs,
}: SummaryInput): StrategyReport {
  const failedBy: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const byDimension: Record<string, number> = {};
  let ok = 0;
  let attempts = 0;
  let retries = 0;
  let retryMs = 0;
  let limiterCount = 0;
  let limiterMs = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.outcome === 'ok') ok++;
    else bump(failedBy, r.outcome ?? 'unsettled');
    attempts += r.attempts;
    retries += r.retries.length;
    for (const retry of r.retries) {
      bump(byReason, retry.reason);
      retryMs += retry.delayMs;
    }
    for (const t of r.throttles) {
      limiterCount++;
      limiterMs += t.waitedMs;
      bump(byDimension, t.dimension, t.waitedMs);
    }
    first = Math.min(first, r.arrivedAt);
    last = Math.max(last, r.settledAt ?? r.arrivedAt);
  }
  const durationMs = records.length === 0 ? 0 : last - first;
  const minutes = durationMs / windowMs;
  const perMinute = (n: number) => (minutes > 0 ? n / minutes : 0);
  return {
    strategy,
    label,
    calls: { total: records.length, ok, failed: records.length - ok, failedBy },
    attempts,
    retries: { total: retries, byReason },
    server: {
      accepted: stats.accepted,
      rateLimited: { ...stats.rateLimited },
      injected: { ...stats.byFault },
    },
    waits: { limiter: { count: limiterCount, totalMs: limiterMs, byDimension }, retryMs },
    rate: {
      calls: {
        limit: options.limits.calls,
        perMinute: perMinute(stats.accepted),
        peakInAnyWindow: stats.maxCallsInAnyWindow,
      },
      tokens: {
        limit: options.limits.tokens,
        perMinute: perMinute(stats.tokensBilled),
        peakInAnyWindow: stats.maxTokensInAnyWindow,
      },
    },
    latencyMs: percentiles(records.map((r) => (r.settledAt ?? r.arrivedAt) - r.arrivedAt)),
    queueWaitMs: percentiles(records.map((r) => (r.startedAt ?? r.settledAt ?? r.arrivedAt) - r.arrivedAt)),
    durationMs,
  };
}
