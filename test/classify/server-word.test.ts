import { describe, expect, it } from 'vitest';
import { classify, classifyOutcome } from '../../src/classify/classify.js';
import type { Outcome } from '../../src/classify/outcome.js';
import type { Rule } from '../../src/classify/rule.js';

const NOW = Date.UTC(2025, 0, 1);
const of = (o: Partial<Outcome>): Outcome => ({ headers: {}, source: o, ...o });
const said = (word: string, o: Partial<Outcome>, rules: Rule[] = []) =>
  classifyOutcome(of({ ...o, headers: { 'x-should-retry': word, ...o.headers } }), rules, NOW);
const failAs =
  (reason: 'invalid-request' | 'aborted'): Rule =>
  () => ({ action: 'fail', reason, scope: 'request' });

describe('x-should-retry, the server’s own word', () => {
  it("'false' turns a retry into fail / unclassified (scope request), read trimmed and in any case", () => {
    const out = { action: 'fail', reason: 'unclassified', scope: 'request', status: 503 };
    expect(said('false', { status: 503 })).toEqual(out);
    expect(said(' FALSE ', { status: 503 })).toEqual(out);
  });

  it("'false' leaves a fail and an ok as they are", () => {
    expect(said('false', { status: 400 })).toEqual({
      action: 'fail',
      reason: 'invalid-request',
      scope: 'request',
      status: 400,
    });
    expect(said('false', { status: 200 })).toEqual({ action: 'ok', status: 200 });
  });

  it("'true' turns a request-scoped fail into a retry named by the status", () => {
    expect(said('true', { status: 400 })).toEqual({ action: 'retry', reason: 'server-error', status: 400 });
    expect(said(' True ', { status: 422 })).toEqual({ action: 'retry', reason: 'server-error', status: 422 });
    const rule = [failAs('invalid-request')];
    expect(said('true', { status: 408 }, rule)).toEqual({ action: 'retry', reason: 'timeout', status: 408 });
    expect(said('true', { status: 429 }, rule)).toEqual({
      action: 'retry',
      reason: 'rate-limited',
      status: 429,
    });
    expect(said('true', { status: 499 }, rule)).toEqual({
      action: 'retry',
      reason: 'cancelled',
      status: 499,
    });
    expect(said('true', { status: 503 }, rule)).toEqual({
      action: 'retry',
      reason: 'server-error',
      status: 503,
    });
  });

  it("'true' takes the server's wait from the headers like any retry", () => {
    expect(said('true', { status: 400, headers: { 'retry-after': '2' } })).toEqual({
      action: 'retry',
      reason: 'server-error',
      status: 400,
      retryAfterMs: 2_000,
    });
  });

  it("'true' never turns an account-scoped fail or the caller's abort into a retry, nor an ok", () => {
    expect(said('true', { status: 401 })).toEqual({
      action: 'fail',
      reason: 'unauthorized',
      scope: 'account',
      status: 401,
    });
    expect(said('true', { status: 402 })).toMatchObject({ action: 'fail', reason: 'payment-required' });
    expect(said('true', { status: 400 }, [failAs('aborted')])).toEqual({
      action: 'fail',
      reason: 'aborted',
      scope: 'request',
      status: 400,
    });
    expect(said('true', { status: 200 })).toEqual({ action: 'ok', status: 200 });
  });

  it('is ignored without an HTTP status, and for any other value', () => {
    expect(said('false', { code: 'ECONNRESET' })).toEqual({ action: 'retry', reason: 'network' });
    expect(said('true', { name: 'AbortError' })).toEqual({
      action: 'fail',
      reason: 'aborted',
      scope: 'request',
    });
    expect(said('maybe', { status: 503 })).toEqual({ action: 'retry', reason: 'server-error', status: 503 });
    expect(said('1', { status: 400 })).toMatchObject({ action: 'fail', reason: 'invalid-request' });
  });

  it('is read from a real response object through classify', () => {
    expect(classify({ status: 500, headers: new Headers({ 'X-Should-Retry': 'false' }) }, [], NOW)).toEqual({
      action: 'fail',
      reason: 'unclassified',
      scope: 'request',
      status: 500,
    });
  });
});
