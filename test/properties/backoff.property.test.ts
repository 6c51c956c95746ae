/**
 * Backoff and the loop's waits, for any schedule: every delay a backoff draws stays within the
 * bounds its jitter documents, and the loop never sleeps past the call's deadline, whatever the
 * backoff, the server's hints and the attempt timeout. Fixed seed for CI, plus a fresh seed that
 * fast-check prints when it fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential, type Jitter } from '../../src/backoff/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { seededRandom, testClock } from '../../src/testing.js';

const options = fc.record({
  baseMs: fc.integer({ min: 0, max: 5_000 }),
  extraMs: fc.integer({ min: 0, max: 100_000 }),
  factor: fc.double({ min: 1, max: 5, noNaN: true }),
  jitter: fc.constantFrom<Jitter>('full', 'equal', 'decorrelated', 'none'),
  seed: fc.integer(),
  steps: fc.integer({ min: 1, max: 40 }),
});

describe('backoff bounds', () => {
  const property = fc.property(options, ({ baseMs, extraMs, factor, jitter, seed, steps }) => {
    const maxMs = baseMs + extraMs;
    const random = seededRandom(seed);
    let step = exponential({ baseMs, maxMs, factor, jitter }).next(random);
    for (let n = 0; n < steps; n++) {
      const d = step.delayMs;
      const nominal = Math.min(maxMs, baseMs * factor ** n);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeLessThanOrEqual(maxMs);
      if (jitter === 'full') {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.ceil(nominal));
      } else if (jitter === 'equal') {
        expect(d).toBeGreaterThanOrEqual(Math.floor(nominal / 2));
        expect(d).toBeLessThanOrEqual(Math.ceil(nominal));
      } else if (jitter === 'decorrelated') {
        expect(d).toBeGreaterThanOrEqual(baseMs);
      } else {
        expect(d).toBe(Math.round(nominal));
      }
      step = step.next(random);
    }
  });

  it('every step within its jitter bounds (fixed seed)', () => {
    fc.assert(property, { seed: 20261202, numRuns: 500 });
  });

  it('every step within its jitter bounds (fresh seed)', () => {
    fc.assert(property, { numRuns: 300 });
  });
});

/** One scripted failure: a retryable status, maybe with a hint, or an attempt that hangs. */
const failure = fc.oneof(
  fc.record({
    status: fc.constantFrom(429, 500, 503, 499),
    hintMs: fc.option(fc.integer({ min: 0, max: 90_000 })),
  }),
  fc.constant('hang' as const),
);

const scenario = fc.record({
  maxElapsedMs: fc.integer({ min: 1, max: 120_000 }),
  attemptTimeoutMs: fc.option(fc.integer({ min: 1, max: 60_000 })),
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  baseMs: fc.integer({ min: 0, max: 10_000 }),
  jitter: fc.constantFrom<Jitter>('full', 'equal', 'decorrelated', 'none'),
  seed: fc.integer(),
  failures: fc.array(failure, { maxLength: 12 }),
  startMs: fc.integer({ min: 0, max: 2e12 }),
});

describe('the loop never crosses the deadline', () => {
  const property = fc.asyncProperty(scenario, async (s) => {
    const clock = testClock(s.startMs);
    const policy = createPolicy({
      clock,
      random: seededRandom(s.seed),
      breaker: false,
      retry: {
        maxAttempts: s.maxAttempts,
        maxElapsedMs: s.maxElapsedMs,
        ...(s.attemptTimeoutMs === null ? {} : { attemptTimeoutMs: s.attemptTimeoutMs }),
        maxRetryAfterMs: 60_000,
        backoff: exponential({ baseMs: s.baseMs, maxMs: s.baseMs * 8, jitter: s.jitter }),
      },
    });
    const deadline = s.startMs + s.maxElapsedMs;
    const waits: { at: number; delayMs: number }[] = [];
    policy.on('retry', (e) => waits.push({ at: clock.now(), delayMs: e.delayMs }));
    let settledAt = -1;
    const done = policy
      .run(({ attempt, signal }) => {
        const f = s.failures[attempt - 1];
        if (f === undefined) return 'ok';
        if (f === 'hang')
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        const headers: Record<string, string> =
          f.hintMs === null ? {} : { 'retry-after-ms': String(f.hintMs) };
        throw { status: f.status, headers };
      })
      .then(
        () => 'ok',
        (e: Error) => e.name,
      )
      .finally(() => {
        settledAt = clock.now();
      });
    await clock.runAllAsync(1_000);
    const outcome = await done;
    expect(settledAt).toBeGreaterThanOrEqual(s.startMs);
    // Every call settles within its deadline, and no wait was started that would cross it.
    expect(settledAt).toBeLessThanOrEqual(deadline);
    for (const w of waits) expect(w.at + w.delayMs).toBeLessThan(deadline);
    expect(['ok', 'RetriesExhaustedError', 'DeadlineExceededError']).toContain(outcome);
    expect(clock.pending).toBe(0); // no timer left behind
  });

  it('for any schedule, hints and timeouts (fixed seed)', async () => {
    await fc.assert(property, { seed: 20261202, numRuns: 300 });
  });

  it('for any schedule, hints and timeouts (fresh seed)', async () => {
    await fc.assert(property, { numRuns: 100 });
  });
});
