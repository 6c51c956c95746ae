import type { EmulatorStats } from '../emulator/types.js';
import type { CallTracker } from './tracker.js';
import type { DemoSummary } from './types.js';

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Adds up the tracker's per-call facts and the emulator's stats. */
export function summarise(
  tracker: CallTracker,
  stats: EmulatorStats,
  run: { windowMs: number; limits: DemoSummary['limits']; wallMs: number },
): DemoSummary {
  const failedByCode: Record<string, number> = {};
  const retriesByReason: Record<string, number> = {};
  const byDimension: Record<string, number> = {};
  let ok = 0;
  let attempts = 0;
  let retries = 0;
  for (const call of tracker.calls) {
    if (call.outcome === 'ok') ok++;
    else bump(failedByCode, call.outcome ?? 'unsettled');
    attempts += call.attempts;
    retries += call.retries.length;
    for (const r of call.retries) bump(retriesByReason, r.reason);
  }
  for (const t of tracker.throttles) bump(byDimension, t.dimension);
  const waits = tracker.calls.map((c) => c.queuedMs).filter((ms) => ms > 0);
  return {
    calls: tracker.calls.length,
    ok,
    failed: tracker.calls.length - ok,
    failedByCode,
    attempts,
    retries,
    retriesByReason,
    queued: {
      calls: waits.length,
      totalMs: tracker.throttles.reduce((sum, t) => sum + t.waitedMs, 0),
      maxMs: Math.max(0, ...waits),
      byDimension,
    },
    limits: run.limits,
    emulator: {
      requests: stats.requests,
      injected: stats.byFault,
      rateLimited: stats.rateLimited,
      maxCallsInAnyWindow: stats.maxCallsInAnyWindow,
      maxTokensInAnyWindow: stats.maxTokensInAnyWindow,
      tokensBilled: stats.tokensBilled,
      windowMs: run.windowMs,
    },
    wallMs: run.wallMs,
    perCall: tracker.calls,
  };
}
