import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import type { Outcome } from '../../src/classify/outcome.js';
import type { Verdict } from '../../src/classify/verdict.js';
import { createPolicy } from '../../src/policy/policy.js';
import { http, httpRules } from '../../src/presets/http.js';

const decide = (o: Partial<Outcome>): Verdict | undefined => {
  const full: Outcome = { headers: {}, source: o, ...o };
  for (const rule of httpRules) {
    const v = rule(full);
    if (v) return v;
  }
  return undefined;
};

describe('httpRules by status', () => {
  it.each([
    [200, { action: 'ok' }],
    [201, { action: 'ok' }],
    [299, { action: 'ok' }],
    [408, { action: 'retry', reason: 'timeout' }],
    [429, { action: 'retry', reason: 'rate-limited' }],
    [499, { action: 'retry', reason: 'cancelled' }],
    [500, { action: 'retry', reason: 'server-error' }],
    [502, { action: 'retry', reason: 'server-error' }],
    [503, { action: 'retry', reason: 'server-error' }],
    [504, { action: 'retry', reason: 'server-error' }],
    [599, { action: 'retry', reason: 'server-error' }],
    [501, { action: 'fail', reason: 'invalid-request', scope: 'request' }],
    [505, { action: 'fail', reason: 'invalid-request', scope: 'request' }],
    [400, { action: 'fail', reason: 'invalid-request', scope: 'request' }],
    [422, { action: 'fail', reason: 'invalid-request', scope: 'request' }],
    [401, { action: 'fail', reason: 'unauthorized', scope: 'account' }],
    [402, { action: 'fail', reason: 'payment-required', scope: 'account' }],
    [403, { action: 'fail', reason: 'forbidden', scope: 'request' }],
    [404, { action: 'fail', reason: 'not-found', scope: 'request' }],
  ])('%d', (status, want) => {
    expect(decide({ status })).toEqual(want);
  });

  it.each([100, 301, 304, 409, 418])('abstains on %d', (status) => {
    expect(decide({ status })).toBeUndefined();
  });

  it('decides by status even when a code is present', () => {
    expect(decide({ status: 503, code: 'ERR_BAD_RESPONSE' })).toMatchObject({ reason: 'server-error' });
    expect(decide({ status: 400, code: 'ECONNRESET' })).toMatchObject({ reason: 'invalid-request' });
  });

  it('never calls an error ok because it carries a 2xx: the body broke after the head', () => {
    expect(decide({ status: 200, code: 'ECONNRESET', name: 'ReadError' })).toEqual({
      action: 'retry',
      reason: 'network',
    });
    expect(decide({ status: 206, code: 'UND_ERR_SOCKET' })).toEqual({ action: 'retry', reason: 'network' });
    expect(decide({ status: 200, name: 'TimeoutError', code: 'ETIMEDOUT' })).toEqual({
      action: 'retry',
      reason: 'timeout',
    });
    // got's ParseError: a whole body that is not JSON. Not ok, not retried: unclassified.
    expect(decide({ status: 200, name: 'ParseError', code: 'ERR_BODY_PARSE_FAILURE' })).toBeUndefined();
    expect(
      classify(Object.assign(new Error('aborted'), { code: 'ECONNRESET', response: { status: 200 } })),
    ).toEqual({ action: 'retry', reason: 'network', status: 200 });
  });
});

describe('httpRules by code and name', () => {
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ETIMEDOUT',
    'ECONNABORTED',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  ])('%s → retry network', (code) => {
    expect(decide({ code, message: `connect ${code} 1.2.3.4:443` })).toEqual({
      action: 'retry',
      reason: 'network',
    });
  });

  it.each([
    [{ name: 'TimeoutError' }],
    [{ name: 'TimeoutError', code: 'ETIMEDOUT' }],
    [{ name: 'CohereTimeoutError' }],
    [{ code: 'ECONNABORTED', message: 'timeout of 1000ms exceeded' }],
    [{ code: 'ETIMEDOUT', message: 'timeout of 1000ms exceeded' }],
    [{ name: 'APIConnectionTimeoutError' }],
    [{ name: 'HeadersTimeoutError', code: 'UND_ERR_HEADERS_TIMEOUT' }],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }],
    [{ code: 'UND_ERR_BODY_TIMEOUT' }],
  ])('%j → retry timeout', (o) => {
    expect(decide(o)).toEqual({ action: 'retry', reason: 'timeout' });
  });

  it.each([
    [{ name: 'AbortError' }],
    [{ name: 'AbortError', code: 'ABORT_ERR' }],
    [{ code: 'ERR_CANCELED' }],
    [{ name: 'CanceledError', code: 'ERR_CANCELED' }],
    [{ name: 'CancelError' }],
  ])('%j → fail aborted', (o) => {
    expect(decide(o)).toEqual({ action: 'fail', reason: 'aborted', scope: 'request' });
  });

  it('abstains on unknown codes and names', () => {
    expect(decide({ code: 'ERR_GOT_REQUEST_ERROR' })).toBeUndefined();
    expect(decide({ code: 'EWHATEVER', name: 'Error' })).toBeUndefined();
    expect(decide({})).toBeUndefined();
  });

  it('classifies real shapes end to end', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    expect(classify(err)).toMatchObject({ action: 'retry', reason: 'network' });
    expect(classify(new DOMException('t', 'TimeoutError'))).toMatchObject({
      action: 'retry',
      reason: 'timeout',
    });
    expect(classify(new DOMException('a', 'AbortError'))).toMatchObject({
      action: 'fail',
      reason: 'aborted',
    });
  });
});

describe('http()', () => {
  it('is a classifier-only preset', () => {
    // The generic rules run after every policy's own, so the preset adds none (they would run twice).
    expect(http()).toEqual({ classifier: [] });
    expect(Object.isFrozen(http().classifier)).toBe(true);
    expect(Object.isFrozen(httpRules)).toBe(true);
    expect(createPolicy(http()).classify({ status: 429 })).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
    });
  });
});
