/**
 * logTo, line by line: for each event the exact level, fields and message a user's logger gets,
 * driven through real policies (limiter, breaker, retry budget, aborts) on a test clock. Fields are
 * compared with toStrictEqual: a key present as `undefined` is a key a logger prints
 * (`console.info` shows `status: undefined`), so a field steady does not know must be absent.
 */
import { describe, expect, it } from 'vitest';
import { constant, createPolicy, logTo, type Policy } from '../../src/index.js';
import { testClock } from '../../src/testing.js';
import { instantClock } from '../helpers/doubles.js';

type Entry = [level: string, fields: Record<string, unknown>, message: string];

/** A pino-shaped logger (`child()` and a string `level`) that records what it is given. */
function recorder() {
  const lines: Entry[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    lines.push([level, fields, message]);
  const logger = {
    level: 'info',
    child: () => logger,
    info: at('info'),
    warn: at('warn'),
    debug: at('debug'),
  };
  return { logger, lines };
}

function logged(policy: Policy) {
  const r = recorder();
  logTo(policy, r.logger);
  return r.lines;
}

describe('logTo lines', () => {
  it('the limiter’s wait: info, with the dimension and the wait', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, limits: { calls: { limit: 1, windowMs: 1_000 } } });
    await policy.run(() => 1);
    const lines = logged(policy);
    const second = policy.run(() => 2);
    await clock.tickAsync(1_010); // one window plus its 1 % margin
    await second;
    expect(lines[0]).toStrictEqual([
      'info',
      { steady: 'throttle', attempt: 1, dimension: 'calls', waitedMs: 1010 },
      'steady: waited 1010 ms for the limiter (calls)',
    ]);
    expect(lines[1]).toStrictEqual([
      'info',
      { steady: 'success', attempts: 1, elapsedMs: 1010 },
      'steady: ok after 1 attempt',
    ]);
  });

  it('the breaker: warn when it opens (with the verdict), info for half-open and closed (without)', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, breaker: { cooldownMs: 1_000 }, retry: { maxAttempts: 1 } });
    const lines = logged(policy);
    await expect(policy.run(() => Promise.reject({ status: 401 }))).rejects.toThrow();
    await clock.tickAsync(1_000);
    await policy.run(() => 'probe');
    const verdict = { action: 'fail', reason: 'unauthorized', status: 401, scope: 'account' };
    expect(lines).toStrictEqual([
      [
        'warn',
        { steady: 'breaker', state: 'open', ...verdict },
        'steady: circuit open after unauthorized (HTTP 401)',
      ],
      [
        'warn',
        {
          steady: 'fail',
          attempts: 1,
          elapsedMs: 0,
          ...verdict,
          errorName: 'FatalError',
          errorCode: 'ERR_FATAL',
          errorMessage: 'steady: unauthorized (HTTP 401)',
        },
        'steady: failed after 1 attempt: steady: unauthorized (HTTP 401)',
      ],
      ['info', { steady: 'breaker', state: 'half-open' }, 'steady: circuit half-open'],
      ['info', { steady: 'breaker', state: 'closed' }, 'steady: circuit closed'],
      ['info', { steady: 'success', attempts: 1, elapsedMs: 0 }, 'steady: ok after 1 attempt'],
    ]);
  });

  it('the retry budget: warn when it runs dry, info when it is back to half', async () => {
    // 10 tokens, 5 a retry: two retries empty it, the third is refused; 5 successes give back 5.
    const policy = createPolicy({
      clock: instantClock(),
      breaker: false,
      budget: { maxTokens: 10, retryCost: 5 },
      retry: { maxAttempts: 10, backoff: constant(0) },
    });
    const r = recorder();
    logTo(policy, r.logger, { events: ['budget'] });
    await expect(policy.run(() => Promise.reject({ status: 503 }))).rejects.toThrow();
    expect(r.lines).toStrictEqual([
      [
        'warn',
        { steady: 'budget', state: 'exhausted', tokens: 0, maxTokens: 10 },
        'steady: retry budget exhausted (0 of 10 tokens)',
      ],
    ]);
    for (let i = 0; i < 4; i++) await policy.run(() => i);
    expect(r.lines).toHaveLength(1); // 4 of 10: not yet half
    await policy.run(() => 5);
    expect(r.lines[1]).toStrictEqual([
      'info',
      { steady: 'budget', state: 'recovered', tokens: 5, maxTokens: 10 },
      'steady: retry budget recovered (5 of 10 tokens)',
    ]);
  });

  it('a retry shows only what is known: no status, hint or scope for a reset connection', async () => {
    const policy = createPolicy({ clock: instantClock(), retry: { maxAttempts: 2, backoff: constant(0) } });
    const lines = logged(policy);
    let n = 0;
    await policy.run(() => (++n === 1 ? Promise.reject({ code: 'ECONNRESET' }) : 'ok'));
    expect(lines[0]).toStrictEqual([
      'warn',
      {
        steady: 'retry',
        attempt: 1,
        delayMs: 0,
        action: 'retry',
        reason: 'network',
        errorCode: 'ECONNRESET',
      },
      'steady: retry 1 in 0 ms after network',
    ]);
  });

  it('of an error: a numeric code, a string name only, the message cut at 500 characters', async () => {
    const policy = createPolicy({ clock: instantClock(), retry: { maxAttempts: 3, backoff: constant(0) } });
    const lines = logged(policy);
    let n = 0;
    await policy.run(() => {
      n++;
      if (n === 1) return Promise.reject({ status: 503, name: 42, code: 7, message: 'x'.repeat(600) });
      if (n === 2) return Promise.reject({ status: 503, name: 'BusyError', code: true, message: 9 });
      return 'ok';
    });
    const base = { steady: 'retry', delayMs: 0, action: 'retry', reason: 'server-error', status: 503 };
    expect(lines[0]![1]).toStrictEqual({ ...base, attempt: 1, errorCode: 7, errorMessage: 'x'.repeat(500) });
    expect(lines[1]![1]).toStrictEqual({ ...base, attempt: 2, errorName: 'BusyError' });
  });

  it('a rule’s fail verdict: no retry hint (nothing is retried); scope request when the rule gave none', async () => {
    const policy = createPolicy({
      clock: instantClock(),
      breaker: false,
      rules: [() => ({ action: 'fail', reason: 'forbidden', retryAfterMs: 60_000 }) as never],
    });
    const lines = logged(policy);
    await expect(policy.run(() => Promise.reject({ status: 403 }))).rejects.toThrow();
    expect(lines[0]![1]).toStrictEqual({
      steady: 'fail',
      attempts: 1,
      elapsedMs: 0,
      action: 'fail',
      reason: 'forbidden',
      status: 403,
      scope: 'request',
      errorName: 'FatalError',
      errorCode: 'ERR_FATAL',
      errorMessage: 'steady: forbidden (HTTP 403)',
    });
  });

  it('a retry whose error is undefined (a rule retried it) has no error fields', async () => {
    const policy = createPolicy({
      clock: instantClock(),
      rules: [() => ({ action: 'retry', reason: 'network' })],
      retry: { maxAttempts: 2, backoff: constant(0) },
    });
    const lines = logged(policy);
    let n = 0;
    await policy.run(() => (++n === 1 ? Promise.reject(undefined) : 'ok'));
    expect(lines[0]![1]).toStrictEqual({
      steady: 'retry',
      attempt: 1,
      delayMs: 0,
      action: 'retry',
      reason: 'network',
    });
  });

  /** A call whose attempt aborts with `reason` (after a 503 retried once when `afterRetry`). */
  async function aborted(reason: unknown, afterRetry = false) {
    const policy = createPolicy({ clock: instantClock(), retry: { backoff: constant(0) } });
    const r = recorder();
    logTo(policy, r.logger, { events: ['fail'] });
    const c = new AbortController();
    let n = 0;
    const run = policy.run(
      () => {
        if (afterRetry && ++n === 1) return Promise.reject({ status: 503 });
        c.abort(reason);
        return Promise.reject({ status: 503 });
      },
      { signal: c.signal },
    );
    await expect(run).rejects.toBe(reason);
    return r.lines;
  }

  it('a failure with a primitive error: its text, cut at 500 characters; null reads "null"', async () => {
    expect(await aborted('shutting down')).toStrictEqual([
      [
        'warn',
        { steady: 'fail', attempts: 1, elapsedMs: 0, errorMessage: 'shutting down' },
        'steady: failed after 1 attempt: shutting down',
      ],
    ]);
    expect((await aborted('y'.repeat(600)))[0]![1].errorMessage).toBe('y'.repeat(500));
    expect((await aborted(null))[0]![2]).toBe('steady: failed after 1 attempt: null');
  });

  it('a failure with no message: the verdict says why, else "failed"', async () => {
    expect((await aborted({}))[0]).toStrictEqual([
      'warn',
      { steady: 'fail', attempts: 1, elapsedMs: 0 },
      'steady: failed after 1 attempt: failed',
    ]);
    expect((await aborted({}, true))[0]).toStrictEqual([
      'warn',
      { steady: 'fail', attempts: 2, elapsedMs: 0, action: 'retry', reason: 'server-error', status: 503 },
      'steady: failed after 2 attempts: server-error (HTTP 503)',
    ]);
  });

  it('an error whose message getter throws still gets its line, with what could be read', async () => {
    const reason = {
      name: 'ShutdownError',
      get message(): string {
        throw new Error('no');
      },
    };
    expect((await aborted(reason))[0]).toStrictEqual([
      'warn',
      { steady: 'fail', attempts: 1, elapsedMs: 0, errorName: 'ShutdownError' },
      'steady: failed after 1 attempt: failed',
    ]);
  });
});
