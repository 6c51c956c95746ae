/** The demo's text: one line per settled call, then the summary. */
import type { CallFacts } from './tracker.js';
import type { DemoSummary } from './types.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** `#07  ok    3 attempts  server-error→412ms, network→903ms  queued 2.1s (calls)  1,830 tokens` */
export function callLine(facts: CallFacts, width: number, tokens?: number): string {
  const id = `#${String(facts.id).padStart(width, '0')}`;
  const outcome = facts.outcome === 'ok' ? 'ok  ' : 'FAIL';
  const attempts = `${facts.attempts} attempt${facts.attempts === 1 ? ' ' : 's'}`;
  const parts = [id, outcome, attempts];
  if (facts.retries.length > 0) {
    parts.push(facts.retries.map((r) => `${r.reason}→${Math.round(r.delayMs)}ms`).join(', '));
  }
  if (facts.queuedMs > 0)
    parts.push(`queued ${(facts.queuedMs / 1000).toFixed(1)}s (${facts.throttledBy.join('+')})`);
  if (facts.outcome !== 'ok') parts.push(facts.outcome ?? 'unsettled');
  else if (tokens !== undefined) parts.push(`${int(tokens)} tokens`);
  return parts.join('  ');
}

/** The lines printed before the first call. */
export function headerLines(calls: number, timeScale: number, windowMs: number, faultRate: number): string[] {
  return [
    `steady demo: ${calls} chat calls at once on one Cohere trial key (40 calls and 100,000 tokens a minute),`,
    `against the embedded emulator. Time runs ${timeScale}× faster: a "minute" lasts ${seconds(windowMs)}.`,
    `${Math.round(faultRate * 100)} % of requests fail at random (503, 500, 499 request cancelled, connection reset,`,
    `429 "Please wait and try again later" as if another client shared the key); the policy retries them`,
    'and its limiter paces the calls so the server never has to say 429 itself.',
    '',
  ];
}

/** The summary printed after the last call. */
export function summaryLines(s: DemoSummary): string[] {
  const e = s.emulator;
  const failed = s.failed === 0 ? '0 failed' : `${s.failed} failed (${list(s.failedByCode)})`;
  const retries = s.retries === 0 ? 'no retries' : `${s.retries} retries: ${list(s.retriesByReason)}`;
  const waits =
    s.queued.calls === 0
      ? 'no call had to wait'
      : `${s.queued.calls} calls waited, ${seconds(s.queued.totalMs)} summed over calls, longest ${seconds(s.queued.maxMs)} (${list(s.queued.byDimension)})`;
  const injected = Object.values(e.injected).reduce((a, b) => a + b, 0);
  return [
    '',
    `calls      ${s.ok} ok, ${failed}`,
    `attempts   ${s.attempts} (${retries})`,
    `limiter    ${waits}`,
    `emulator   ${e.requests} requests, ${injected} faults injected (${list(e.injected) || 'none'})`,
    `           its own 429s: ${e.rateLimited.calls} for calls, ${e.rateLimited.tokens} for tokens`,
    `           most calls in any ${seconds(e.windowMs)} window: ${e.maxCallsInAnyWindow} (limit ${s.limits.calls})`,
    `           most tokens in any window: ${int(e.maxTokensInAnyWindow)} (limit ${int(s.limits.tokens)}), ${int(e.tokensBilled)} billed in all`,
    `wall time  ${seconds(s.wallMs)}`,
  ];
}
