/** `npm start`'s demo, run small: 50 calls (more than the 40 a window allows) in a 1 s "minute". */
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, runDemo } from '../../src/sim/demo.js';

const CALLS = 50;
let summary: DemoSummary;
const lines: string[] = [];

beforeAll(async () => {
  summary = await runDemo({
    calls: CALLS,
    timeScale: 60,
    seed: 3,
    faultRate: 0.15,
    out: (l) => lines.push(l),
  });
}, 20_000);

describe('runDemo', () => {
  it('settles every call, each with a typed outcome', () => {
    expect(summary.calls).toBe(CALLS);
    expect(summary.perCall).toHaveLength(CALLS);
    for (const call of summary.perCall) expect(call.outcome).toMatch(/^(ok|ERR_[A-Z_]+)$/);
    expect(summary.ok + summary.failed).toBe(CALLS);
    const failed = Object.values(summary.failedByCode).reduce((a, b) => a + b, 0);
    expect(failed).toBe(summary.failed);
  });

  it('keeps the key inside its limits: the emulator never said 429 on its own', () => {
    expect(summary.emulator.rateLimited).toEqual({ calls: 0, tokens: 0 });
    expect(summary.emulator.maxCallsInAnyWindow).toBeLessThanOrEqual(40);
    expect(summary.emulator.maxTokensInAnyWindow).toBeLessThanOrEqual(100_000);
    expect(summary.emulator.windowMs).toBe(1_000);
  });

  it('paces the calls: more than a window’s worth had to wait for the limiter', () => {
    expect(summary.queued.calls).toBeGreaterThanOrEqual(CALLS - 40);
    expect(summary.queued.maxMs).toBeGreaterThan(500);
    expect(summary.queued.byDimension.calls).toBeGreaterThan(0);
  });

  it('adds up: attempts are the requests the emulator saw, retries are the faults it injected', () => {
    expect(summary.attempts).toBe(summary.emulator.requests);
    expect(summary.attempts).toBe(CALLS + summary.retries);
    const injected = Object.values(summary.emulator.injected).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    expect(summary.retries).toBe(injected); // no call failed, so every fault was retried once
    const byReason = Object.values(summary.retriesByReason).reduce((a, b) => a + b, 0);
    expect(byReason).toBe(summary.retries);
    expect(summary.perCall.reduce((n, c) => n + c.attempts, 0)).toBe(summary.attempts);
  });

  it('attributes every limiter wait to the call that waited', () => {
    const perCall = summary.perCall.reduce((ms, c) => ms + c.queuedMs, 0);
    expect(perCall).toBeCloseTo(summary.queued.totalMs, 6);
  });

  it('prints one line per call, each call once, then the summary', () => {
    const callLines = lines.filter((l) => /^#\d+ /.test(l));
    expect(callLines).toHaveLength(CALLS);
    const ids = callLines.map((l) => Number(l.slice(1, l.indexOf(' '))));
    expect(new Set(ids).size).toBe(CALLS);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(CALLS);
    const retried = summary.perCall.find((c) => c.retries.length > 0)!;
    const line = callLines.find((l) => l.startsWith(`#${String(retried.id).padStart(2, '0')} `))!;
    expect(line).toContain(`${retried.attempts} attempts`);
    expect(line).toContain(`${retried.retries[0]!.reason}→`);
    expect(lines.join('\n')).toMatch(/calls {6}\d+ ok/);
    expect(lines.at(-1)).toMatch(/^wall time {2}\d+\.\d s$/);
  });

  it('rejects a bad call count, naming the option', async () => {
    await expect(runDemo({ calls: 0, out: () => {} })).rejects.toThrow(
      'steady: calls must be an integer >= 1, got 0',
    );
  });
});
