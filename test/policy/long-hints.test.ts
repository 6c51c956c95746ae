import { describe, expect, it } from 'vitest';
import { constant, createLimiter, createPolicy, RetriesExhaustedError } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

/* A server hint of any length is honoured: above retry.maxRetryAfterMs the call ends at once and the
   limiter stays paused for the whole hint; nothing is sent before the server's time. */

const W = 60_000;
const YEAR_S = 31_536_000;
const YEAR_MS = YEAR_S * 1000;
const tooMany = (headers: Record<string, string>) => ({
  status: 429,
  headers,
  body: { message: 'Please wait and try again later' },
});

function setup(limit = 100) {
  const clock = testClock();
  const limiter = createLimiter({ limits: { calls: { limit, windowMs: W } }, clock, safetyMarginMs: 0 });
  const policy = createPolicy({ clock, limiter, retry: { backoff: constant(10) }, breaker: false });
  return { clock, limiter, policy };
}

describe('long server hints', () => {
  it.each([
    [{ 'retry-after': String(YEAR_S) }, YEAR_MS],
    [{ 'retry-after-ms': '1000000000000' }, 1e12],
    [{ 'retry-after': 'Mon, 01 Jan 2125 12:00:00 GMT' }, 3_155_673_600_000 - 1_000],
  ])(
    '%j ends the call after 1 attempt with RetriesExhaustedError naming the hint',
    async (headers, hintMs) => {
      const clock = testClock(Date.UTC(2025, 0, 1, 12, 0, 1));
      const policy = createPolicy({ clock, breaker: false });
      let attempts = 0;
      const err = await policy
        .run(async () => {
          attempts++;
          throw tooMany(headers);
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetriesExhaustedError);
      expect((err as RetriesExhaustedError).attempts).toBe(1);
      expect((err as Error).message).toContain(`the server asked to wait ${hintMs} ms`);
      expect((err as Error).message).toContain('retry.maxRetryAfterMs (60000 ms)');
      expect(attempts).toBe(1);
      expect(clock.pending).toBe(0);
    },
  );

  it('pauses the limiter for the whole hint: later calls fail at once without being sent, until the year is over', async () => {
    const { clock, limiter, policy } = setup();
    let sent = 0;
    const first = await policy
      .run(async () => {
        sent++;
        throw tooMany({ 'retry-after': String(YEAR_S) });
      })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RetriesExhaustedError);

    await clock.tickAsync(W); // a minute later (past the old 60 s cap on the pause)
    const later = await policy.run(async () => ++sent).catch((e: Error) => e);
    expect(later).toBeInstanceOf(RetriesExhaustedError);
    expect((later as Error).message).toContain(`paused after a 429 for ${YEAR_MS - W} ms more`);
    expect((later as RetriesExhaustedError).attempts).toBe(0);
    expect((later as RetriesExhaustedError).stoppedBy).toBe('maxRetryAfterMs');
    expect(sent).toBe(1);
    expect(limiter.queued).toBe(0);
    expect(clock.pending).toBe(0); // nothing left waiting for a year

    await clock.tickAsync(YEAR_MS - W);
    await expect(policy.run(async () => ++sent)).resolves.toBe(2);
  });

  it('fails the calls already queued when the long hint arrives, before they are sent', async () => {
    const { clock, limiter, policy } = setup(1);
    let sent = 0;
    const a = policy
      .run(async () => {
        sent++;
        await new Promise<void>((r) => clock.setTimeout(r, 1_000));
        throw tooMany({ 'retry-after': String(YEAR_S) });
      })
      .catch((e: unknown) => e);
    const b = policy.run(async () => ++sent).catch((e: unknown) => e); // queued: the window's one call is a's
    await clock.tickAsync(10);
    expect(limiter.queued).toBe(1);
    await clock.tickAsync(1_000);
    const [ea, eb] = await Promise.all([a, b]);
    expect(ea).toBeInstanceOf(RetriesExhaustedError);
    expect(eb).toBeInstanceOf(RetriesExhaustedError);
    expect((eb as Error).message).toContain('paused after a 429');
    expect(sent).toBe(1);
    expect(limiter.queued).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('refuses the retry of another call that meets the pause, keeping its history', async () => {
    const { clock, policy } = setup();
    let sent = 0;
    const a = policy
      .run(async () => {
        sent++;
        throw { status: 503 }; // retried after 10 ms
      })
      .catch((e: unknown) => e);
    const b = policy
      .run(async () => {
        sent++;
        throw tooMany({ 'retry-after': String(YEAR_S) });
      })
      .catch((e: unknown) => e);
    await clock.tickAsync(10);
    const ea = (await a) as RetriesExhaustedError;
    expect(ea).toBeInstanceOf(RetriesExhaustedError);
    expect(ea.attempts).toBe(1);
    expect(ea.stoppedBy).toBe('maxRetryAfterMs');
    expect(ea.verdict).toMatchObject({ reason: 'server-error', status: 503 });
    expect(ea.message).toContain('paused after a 429');
    expect(await b).toBeInstanceOf(RetriesExhaustedError);
    expect(sent).toBe(2);
  });

  it('a hint under maxRetryAfterMs is waited, by this call and by those queued behind it', async () => {
    const { clock, policy } = setup();
    const starts: number[] = [];
    let first = true;
    const a = policy.run(async () => {
      starts.push(clock.now());
      if (first) {
        first = false;
        throw tooMany({ 'retry-after': '59' });
      }
      return 'a';
    });
    await clock.tickAsync(1);
    const b = policy.run(async () => clock.now());
    await clock.runAllAsync();
    await expect(a).resolves.toBe('a');
    expect(starts).toEqual([0, 59_000]);
    await expect(b).resolves.toBe(59_000);
  });

  it('with maxRetryAfterMs: Infinity a 30-day hint is waited to the millisecond', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      retry: { maxRetryAfterMs: Number.POSITIVE_INFINITY },
      breaker: false,
    });
    const starts: number[] = [];
    const done = policy.run(async () => {
      starts.push(clock.now());
      if (starts.length === 1) throw tooMany({ 'retry-after': String(30 * 86_400) });
      return 'ok';
    });
    await clock.tickAsync(30 * 86_400_000 - 1);
    expect(starts).toEqual([0]);
    await clock.tickAsync(1);
    await expect(done).resolves.toBe('ok');
    expect(starts).toEqual([0, 2_592_000_000]);
  });
});
