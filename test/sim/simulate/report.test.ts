/**
 * The report's figures against small scenarios worked by hand, in virtual time (no real waits):
 * a fixed 100 ms latency, one token size, and faults on every request or none.
 */
import { describe, expect, it } from 'vitest';
import { parseSimulateArgs } from '../../../src/sim/simulate/args.js';
import { simulate } from '../../../src/sim/simulate/simulate.js';

const small = (...flags: string[]) =>
  parseSimulateArgs([
    '--arrival=burst',
    '--latency=100',
    '--input-tokens=100',
    '--output-tokens=10',
    '--faults=none',
    '--concurrency=unbounded',
    ...flags,
  ]).options;

describe('steady, 5 calls at once on a key of 2 calls a minute, no faults', () => {
  // The limiter's rolling minute gives a call back 60 s + its 500 ms margin after it was sent:
  // calls 1, 2 go at 0 s; 3, 4 at 60.5 s (calls 1 and 2 come back); 5 at 121 s (call 3 comes back).
  // Each answer takes 100 ms.
  const run = () => simulate(small('--calls=5', '--calls-limit=2')).then((r) => r.report.results[0]!);

  it('counts calls, attempts and waits exactly', async () => {
    const r = await run();
    expect(r.calls).toEqual({ total: 5, ok: 5, failed: 0, failedBy: {} });
    expect(r.attempts).toBe(5);
    expect(r.retries).toEqual({ total: 0, byReason: {} });
    expect(r.server).toEqual({ accepted: 5, rateLimited: { calls: 0, tokens: 0 }, injected: {} });
    expect(r.waits).toEqual({
      limiter: { count: 3, totalMs: 60_500 + 60_500 + 121_000, byDimension: { calls: 242_000 } },
      retryMs: 0,
    });
  });

  it('percentiles by nearest rank over the five calls', async () => {
    const r = await run();
    // latencies 100, 100, 60_600, 60_600, 121_100: p50 is the 3rd, p95 and p99 the 5th
    expect(r.latencyMs).toEqual({ p50: 60_600, p95: 121_100, p99: 121_100, max: 121_100 });
    expect(r.queueWaitMs).toEqual({ p50: 60_500, p95: 121_000, p99: 121_000, max: 121_000 });
    expect(r.durationMs).toBe(121_100);
  });

  it('the rate against each limit: never more than 2 calls in any rolling minute', async () => {
    const r = await run();
    expect(r.rate.calls).toEqual({ limit: 2, perMinute: 5 / (121_100 / 60_000), peakInAnyWindow: 2 });
    expect(r.rate.tokens.limit).toBe(100_000);
    expect(r.rate.tokens.peakInAnyWindow).toBeGreaterThanOrEqual(2 * 104);
    expect(r.rate.tokens.peakInAnyWindow).toBeLessThanOrEqual(2 * 110);
  });
});

describe('one call that always gets a 503', () => {
  const options = (...flags: string[]) => small('--calls=1', '--faults=503=100%', ...flags);

  it('steady: 3 attempts, 2 retries for server-error, then ERR_RETRIES_EXHAUSTED', async () => {
    const [r] = (await simulate(options('--attempts=3'))).report.results;
    expect(r!.calls).toEqual({ total: 1, ok: 0, failed: 1, failedBy: { ERR_RETRIES_EXHAUSTED: 1 } });
    expect(r!.attempts).toBe(3);
    expect(r!.retries).toEqual({ total: 2, byReason: { 'server-error': 2 } });
    expect(r!.server).toEqual({ accepted: 0, rateLimited: { calls: 0, tokens: 0 }, injected: { '503': 3 } });
  });

  it('--compare: p-retry waits 1 + 2 + … + 512 s over 11 attempts; the fixed window 1 s twice', async () => {
    const { report } = await simulate(options('--attempts=3', '--compare'));
    const by = Object.fromEntries(report.results.map((r) => [r.strategy, r]));
    expect(report.results.map((r) => r.label)).toEqual([
      'steady',
      'no limiter',
      'fixed window',
      'p-retry defaults',
    ]);
    expect(by['p-retry']!.attempts).toBe(11);
    expect(by['p-retry']!.waits.retryMs).toBe(1_023_000);
    expect(by['p-retry']!.latencyMs.max).toBe(1_023_000 + 11 * 100);
    expect(by['p-retry']!.calls.failedBy).toEqual({ 'gave up (503)': 1 });
    expect(by['fixed-window']!.attempts).toBe(3);
    expect(by['fixed-window']!.latencyMs.max).toBe(2 * 1_000 + 3 * 100);
    expect(by['no-limiter']!.attempts).toBe(3);
  });
});

describe('the fixed window (Bottleneck reservoir): 3 calls at once, 2 a minute', () => {
  it('the third waits for the next fixed minute, at 60 s', async () => {
    const { report } = await simulate(small('--calls=3', '--calls-limit=2', '--compare'));
    const r = report.results.find((x) => x.strategy === 'fixed-window')!;
    expect(r.queueWaitMs).toEqual({ p50: 0, p95: 60_000, p99: 60_000, max: 60_000 });
    expect(r.waits.limiter).toEqual({ count: 1, totalMs: 60_000, byDimension: { calls: 60_000 } });
    expect(r.server.rateLimited).toEqual({ calls: 0, tokens: 0 });
  });
});

describe('no limiter against a key of 2 calls a minute: the server says 429', () => {
  it('3 calls at once: the server refuses the third (calls), steady retries after its Retry-After of 60 s', async () => {
    const { report } = await simulate(small('--calls=3', '--calls-limit=2', '--compare'));
    const r = report.results.find((x) => x.strategy === 'no-limiter')!;
    expect(r.server.rateLimited).toEqual({ calls: 1, tokens: 0 });
    expect(r.retries).toEqual({ total: 1, byReason: { 'rate-limited': 1 } });
    expect(r.calls.ok).toBe(3);
    // sent at 0, refused, answered at 100 ms; the retry waits the 60 s hint: sent at 60.1 s, answered at 60.2 s
    expect(r.latencyMs.max).toBe(60_200);
    const steady = report.results.find((x) => x.strategy === 'steady')!;
    expect(steady.server.rateLimited).toEqual({ calls: 0, tokens: 0 });
  });
});

describe('--clock real: over HTTP against the emulator, time-scaled', () => {
  it('settles every call and reports the window on the real clock (a minute in 1 s at 60×)', async () => {
    const options = parseSimulateArgs([
      '--clock=real',
      '--time-scale=60',
      '--calls=6',
      '--arrival=burst',
      '--latency=0',
      '--faults=none',
      '--calls-limit=100',
    ]).options;
    const { report, runs } = await simulate(options);
    expect(runs).toEqual([]);
    expect(report.windowMs).toBe(1_000);
    const [r] = report.results;
    expect(r!.calls).toEqual({ total: 6, ok: 6, failed: 0, failedBy: {} });
    expect(r!.attempts).toBe(6);
    expect(r!.server.accepted).toBe(6);
    expect(r!.server.rateLimited).toEqual({ calls: 0, tokens: 0 });
    // how many fell in one window depends on the machine's load: at most all six
    expect(r!.rate.calls.peakInAnyWindow).toBeGreaterThanOrEqual(1);
    expect(r!.rate.calls.peakInAnyWindow).toBeLessThanOrEqual(6);
  });
});
