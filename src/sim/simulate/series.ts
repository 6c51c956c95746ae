/** The picture's data: what the server saw in the rolling minute, sampled over the run. */
import type { RunResult } from './run-virtual.js';

export interface Series {
  /** Sample times, ms from the start. */
  at: number[];
  /** Requests that reached the server in the minute before each sample (every attempt, whatever its fate). */
  calls: number[];
  /** Tokens the server billed in the minute before each sample. */
  tokens: number[];
  /** When a retry was decided. */
  retries: number[];
  /** The server's own 429s (a limit exceeded). */
  ownLimited: number[];
  /** Injected 429s ("another client on the key"). */
  injectedLimited: number[];
  endMs: number;
}

/** When the run's last call settled (at least one minute). */
export function seriesEnd(run: RunResult, windowMs = 60_000): number {
  return Math.max(windowMs, ...run.records.map((r) => r.settledAt ?? 0));
}

/** `samples` points from 0 to `endMs` (the last settling); windows are `windowMs` long. */
export function rollingSeries(
  run: RunResult,
  windowMs = 60_000,
  samples = 600,
  endMs = seriesEnd(run, windowMs),
): Series {
  const events = run.events;
  const at: number[] = [];
  const calls: number[] = [];
  const tokens: number[] = [];
  let head = 0; // events at or before t
  let tail = 0; // events at or before t - windowMs
  let inCalls = 0;
  let inTokens = 0;
  for (let i = 0; i <= samples; i++) {
    const t = (endMs * i) / samples;
    for (; head < events.length && events[head]!.at <= t; head++) {
      const e = events[head]!;
      inCalls++;
      if (e.kind === 'accepted') inTokens += e.tokens;
    }
    for (; tail < head && events[tail]!.at <= t - windowMs; tail++) {
      const e = events[tail]!;
      inCalls--;
      if (e.kind === 'accepted') inTokens -= e.tokens;
    }
    at.push(t);
    calls.push(inCalls);
    tokens.push(inTokens);
  }
  return {
    at,
    calls,
    tokens,
    retries: run.records.flatMap((r) => r.retries.map((x) => x.at)),
    ownLimited: events.filter((e) => e.kind === 'rate-limited').map((e) => e.at),
    injectedLimited: events.filter((e) => e.kind === 'fault' && e.fault === '429').map((e) => e.at),
    endMs,
  };
}
