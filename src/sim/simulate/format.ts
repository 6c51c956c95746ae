/** The report as text: one strategy in full, or several side by side. */
import type { Percentiles, SimulateReport, StrategyReport } from './types.js';

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
/** `1 retry`, `2 retries`, `0 calls`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** A duration: `850 ms`, `12.4 s`, `3.2 min`, `1.5 h`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const list = (counts: Record<string, number>, show = int) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${show(n)}`)
    .join(', ');

const pct = (p: Percentiles) =>
  `p50 ${duration(p.p50)}, p95 ${duration(p.p95)}, p99 ${duration(p.p99)}, max ${duration(p.max)}`;

/** The opening lines: what was simulated. */
export function headerLines(report: SimulateReport): string[] {
  const o = report.options;
  const faultShare = o.faults.reduce((s, f) => s + f.share, 0);
  const faults =
    o.faults.length === 0
      ? 'no faults'
      : `${+(faultShare * 100).toFixed(1)} % faults (${o.faults.map((f) => `${f.kind} ${+(f.share * 100).toFixed(1)} %`).join(', ')})`;
  const clock =
    o.clock === 'virtual'
      ? 'virtual time'
      : `real time over HTTP against the emulator, ${o.timeScale}× faster (a minute lasts ${duration(report.windowMs)})`;
  const arrival = o.arrival === 'burst' ? 'all at once' : `${o.arrival}, ${+o.rate.toFixed(2)} a minute`;
  const pool = Number.isFinite(o.concurrency) ? `, at most ${o.concurrency} in flight` : '';
  return [
    `steady simulate: ${plural(o.calls, 'chat call')} (${arrival}${pool}) on a Cohere ${o.limits.plan} key:`,
    `${int(o.limits.calls)} calls and ${int(o.limits.tokens)} tokens a rolling minute, ${faults}; ${clock}.`,
    `policy: ${o.preset} preset, ${plural(o.attempts, 'attempt')}, backoff ${int(o.backoffMs[0])}–${int(o.backoffMs[1])} ms (full jitter), ${o.budget === false ? 'no retry budget' : `retry budget ${int(o.budget)}`}.`,
    '',
  ];
}

/** One strategy's report in full. */
export function reportLines(r: StrategyReport, windowMs: number): string[] {
  const failed =
    r.calls.failed === 0 ? '0 failed' : `${int(r.calls.failed)} failed (${list(r.calls.failedBy)})`;
  const retries =
    r.retries.total === 0
      ? 'no retries'
      : `${plural(r.retries.total, 'retry', 'retries')}: ${list(r.retries.byReason)}`;
  const injected = Object.values(r.server.injected).reduce((a, b) => a + b, 0);
  const own = r.server.rateLimited.calls + r.server.rateLimited.tokens;
  const l = r.waits.limiter;
  const waits =
    l.count === 0
      ? 'no call waited for the limiter'
      : `${plural(l.count, 'wait')} for the limiter, ${duration(l.totalMs)} in all (${list(l.byDimension, duration)})`;
  const minute = windowMs === 60_000 ? 'minute' : `(scaled) minute`;
  const rate = (name: string, f: StrategyReport['rate']['calls']) =>
    `${name.padEnd(7)}${int(f.perMinute)} a ${minute} on average; most in any rolling minute ${int(f.peakInAnyWindow)} (limit ${int(f.limit)}, ${Math.round((f.peakInAnyWindow / f.limit) * 100)} %)`;
  return [
    `calls       ${int(r.calls.ok)} ok, ${failed}`,
    `attempts    ${int(r.attempts)} (${retries})`,
    `server      ${int(r.server.accepted)} accepted; its own 429s: ${own === 0 ? 'none' : `${int(r.server.rateLimited.calls)} for calls, ${int(r.server.rateLimited.tokens)} for tokens`}`,
    `            ${plural(injected, 'fault')} injected${injected ? ` (${list(r.server.injected)})` : ''}`,
    `waits       ${waits}; ${duration(r.waits.retryMs)} between attempts`,
    `rate        ${rate('calls', r.rate.calls)}`,
    `            ${rate('tokens', r.rate.tokens)}`,
    `latency     ${pct(r.latencyMs)} (arrival to answer)`,
    `queue wait  ${pct(r.queueWaitMs)} (arrival to first attempt)`,
    `duration    ${duration(r.durationMs)} of traffic`,
  ];
}

/** Several strategies side by side, one column each. */
export function compareLines(results: readonly StrategyReport[]): string[] {
  const rows: [string, (r: StrategyReport) => string][] = [
    ['calls ok', (r) => `${int(r.calls.ok)}/${int(r.calls.total)}`],
    ['calls failed', (r) => int(r.calls.failed)],
    ['attempts', (r) => int(r.attempts)],
    ['retries', (r) => int(r.retries.total)],
    ["server's own 429s", (r) => int(r.server.rateLimited.calls + r.server.rateLimited.tokens)],
    ['peak calls / limit', (r) => `${int(r.rate.calls.peakInAnyWindow)} / ${int(r.rate.calls.limit)}`],
    ['peak tokens / limit', (r) => `${int(r.rate.tokens.peakInAnyWindow)} / ${int(r.rate.tokens.limit)}`],
    ['latency p50', (r) => duration(r.latencyMs.p50)],
    ['latency p95', (r) => duration(r.latencyMs.p95)],
    ['latency p99', (r) => duration(r.latencyMs.p99)],
    ['queue wait p95', (r) => duration(r.queueWaitMs.p95)],
    ['duration', (r) => duration(r.durationMs)],
  ];
  const head = ['', ...results.map((r) => r.label)];
  const body = rows.map(([name, cell]) => [name, ...results.map(cell)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('   ')
      .trimEnd();
  return [line(head), ...body.map(line)];
}

/** The whole text: header, then the steady report or the comparison. */
export function textReport(report: SimulateReport): string[] {
  const lines = headerLines(report);
  const [first] = report.results;
  if (report.results.length === 1 && first) lines.push(...reportLines(first, report.windowMs));
  else {
    lines.push(...compareLines(report.results));
    lines.push(
      '',
      "no limiter: steady's retries without its limiter. fixed window: Bottleneck's reservoir (calls per fixed",
      'minute, tokens not counted, retries outside it). p-retry defaults: 10 retries, 1 s × 2ⁿ, no Retry-After.',
      'The last two are modelled in virtual time, not the libraries themselves.',
    );
  }
  lines.push('', `ran in ${duration(report.wallMs)}`);
  return lines;
}
