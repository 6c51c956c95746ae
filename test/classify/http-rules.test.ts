import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { httpRules } from '../../src/classify/http-rules.js';
import type { Outcome } from '../../src/classify/outcome.js';

const NOW = Date.UTC(2025, 0, 1);
const of = (o: Partial<Outcome>): Outcome => ({ headers: {}, source: o, ...o });
/** What the two built-in rules say, in order, without the default. */
const rule = (o: Partial<Outcome>) => {
  for (const r of httpRules) {
    const v = r(of(o));
    if (v !== undefined) return v;
  }
  return undefined;
};

describe('the generic HTTP rules, status by status (the documented table)', () => {
  it.each([
    [400, 'fail', 'invalid-request', 'request'],
    [401, 'fail', 'unauthorized', 'account'],
    [402, 'fail', 'payment-required', 'account'],
    [403, 'fail', 'forbidden', 'request'],
    [404, 'fail', 'not-found', 'request'],
    [405, 'fail', 'invalid-request', 'request'],
    [410, 'fail', 'not-found', 'request'],
    [413, 'fail', 'invalid-request', 'request'],
    [414, 'fail', 'invalid-request', 'request'],
    [415, 'fail', 'invalid-request', 'request'],
    [422, 'fail', 'invalid-request', 'request'],
    [501, 'fail', 'invalid-request', 'request'],
    [505, 'fail', 'invalid-request', 'request'],
  ] as const)('%i → %s / %s, scope %s', (status, action, reason, scope) => {
    expect(rule({ status })).toEqual({ action, reason, scope });
    expect(classify({ status }, [], NOW)).toEqual({ action, reason, scope, status });
  });

  it.each([
    [408, 'timeout'],
    [429, 'rate-limited'],
    [499, 'cancelled'],
    [500, 'server-error'],
    [502, 'server-error'],
    [503, 'server-error'],
    [504, 'server-error'],
    [599, 'server-error'],
  ] as const)('%i → retry / %s', (status, reason) => {
    expect(rule({ status })).toEqual({ action: 'retry', reason });
  });

  it('2xx is ok from 200 to 299, and not 199 or 300', () => {
    expect(rule({ status: 200 })).toEqual({ action: 'ok' });
    expect(rule({ status: 299 })).toEqual({ action: 'ok' });
    expect(rule({ status: 199 })).toBeUndefined();
    expect(rule({ status: 300 })).toBeUndefined();
  });

  it('other 1xx, 3xx and 4xx, and 600, abstain (and classify ends as fail / unclassified)', () => {
    for (const status of [100, 101, 301, 304, 406, 409, 418, 451, 498, 600, 700]) {
      expect(rule({ status })).toBeUndefined();
    }
    expect(classify({ status: 409 }, [], NOW)).toEqual({
      action: 'fail',
      reason: 'unclassified',
      scope: 'request',
      status: 409,
    });
  });

  it('a 2xx carried by an error (a code or a name) is not ok: the error decides', () => {
    expect(rule({ status: 200, code: 'ECONNRESET' })).toEqual({ action: 'retry', reason: 'network' });
    expect(rule({ status: 200, name: 'TimeoutError' })).toEqual({ action: 'retry', reason: 'timeout' });
    expect(rule({ status: 200, name: 'ParseError' })).toBeUndefined();
    expect(rule({ status: 200, code: 'ERR_SOMETHING_ELSE' })).toBeUndefined();
  });

  it('an error with a non-2xx status is decided by the status, not its code or name', () => {
    expect(rule({ status: 404, code: 'ECONNRESET' })).toEqual({
      action: 'fail',
      reason: 'not-found',
      scope: 'request',
    });
    expect(rule({ status: 418, name: 'TimeoutError' })).toBeUndefined();
    expect(rule({ status: 418, code: 'ECONNRESET' })).toBeUndefined();
  });
});

describe('the generic HTTP rules, errors by name and code', () => {
  it.each([
    'TimeoutError',
    'CohereTimeoutError',
    'APIConnectionTimeoutError',
    'ConnectTimeoutError',
    'HeadersTimeoutError',
    'BodyTimeoutError',
  ])('name %s → retry / timeout', (name) => {
    expect(rule({ name })).toEqual({ action: 'retry', reason: 'timeout' });
  });

  it.each(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])(
    'code %s → retry / timeout',
    (code) => {
      expect(rule({ code })).toEqual({ action: 'retry', reason: 'timeout' });
    },
  );

  it.each(['AbortError', 'CanceledError', 'CancelError', 'APIUserAbortError'])(
    'name %s → fail / aborted (request)',
    (name) => {
      expect(rule({ name })).toEqual({ action: 'fail', reason: 'aborted', scope: 'request' });
      // An abort wins over a network code further down.
      expect(rule({ name, code: 'ECONNRESET' })).toEqual({
        action: 'fail',
        reason: 'aborted',
        scope: 'request',
      });
    },
  );

  it.each(['ERR_CANCELED', 'ABORT_ERR', 'ERR_ABORTED', 'UND_ERR_ABORTED', 'UND_ERR_ABORT'])(
    'code %s → fail / aborted (request)',
    (code) => {
      expect(rule({ code })).toEqual({ action: 'fail', reason: 'aborted', scope: 'request' });
    },
  );

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ENETUNREACH',
    'ENETDOWN',
    'EHOSTUNREACH',
    'EHOSTDOWN',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'ERR_NETWORK',
    'ERR_STREAM_PREMATURE_CLOSE',
  ])('code %s → retry / network', (code) => {
    expect(rule({ code })).toEqual({ action: 'retry', reason: 'network' });
  });

  it("reads axios's ECONNABORTED / ETIMEDOUT as a timeout only when the message says one was exceeded", () => {
    for (const code of ['ECONNABORTED', 'ETIMEDOUT']) {
      expect(rule({ code, message: 'timeout of 1000ms exceeded' })).toEqual({
        action: 'retry',
        reason: 'timeout',
      });
      expect(rule({ code, message: 'Connection timed out' })).toEqual({ action: 'retry', reason: 'timeout' });
      expect(rule({ code, message: 'socket hang up' })).toEqual({ action: 'retry', reason: 'network' });
      expect(rule({ code, message: '' })).toEqual({ action: 'retry', reason: 'network' });
      expect(rule({ code })).toEqual({ action: 'retry', reason: 'network' });
    }
    // The same message with another code is that code's verdict.
    expect(rule({ code: 'ECONNRESET', message: 'timeout of 1000ms exceeded' })).toEqual({
      action: 'retry',
      reason: 'network',
    });
    expect(rule({ code: 'EWHATEVER', message: 'timeout of 1000ms exceeded' })).toBeUndefined();
    // "timeout … exceeded" within 40 characters on one line, as whole words.
    const within = (gap: string) =>
      (rule({ code: 'ECONNABORTED', message: `timeout${gap}exceeded` }) as { reason?: string } | undefined)
        ?.reason;
    expect(within(` ${'x'.repeat(38)} `)).toBe('timeout');
    expect(within(` ${'x'.repeat(39)} `)).toBe('network');
    expect(within(' of 5s\n exceeded')).toBe('network');
    expect(within('s exceeded')).toBe('network');
  });

  it('abstains on an unknown name or code, and on nothing at all', () => {
    expect(rule({ name: 'SyntaxError' })).toBeUndefined();
    expect(rule({ code: 'ERR_UNKNOWN' })).toBeUndefined();
    expect(rule({})).toBeUndefined();
  });

  it('is frozen, status rule first', () => {
    expect(Object.isFrozen(httpRules)).toBe(true);
    expect(httpRules).toHaveLength(2);
    expect(httpRules[0]!(of({ status: 200, code: 'ECONNRESET' }))).toBeUndefined();
    expect(httpRules[1]!(of({ status: 500 }))).toBeUndefined();
  });
});
