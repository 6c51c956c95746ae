import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { classifyOutcome } from '../../src/classify/classify.js';
import { statusAndCode, toOutcome } from '../../src/classify/extract.js';
import { parseHttpDate } from '../../src/classify/http-date.js';
import type { Outcome } from '../../src/classify/outcome.js';
import { parseDuration, parseRetryAfter } from '../../src/classify/retry-after.js';
import type { Rule } from '../../src/classify/rule.js';
import { get, isObject } from '../../src/classify/safe.js';

const NOW = Date.UTC(2025, 0, 1);
const outcome = (o: Partial<Outcome>): Outcome => ({ headers: {}, source: o, ...o });
const ruleReturning = (v: unknown): Rule[] => [() => v as never];

describe('classifyOutcome: what a rule may return', () => {
  it.each([
    [null, 'null'],
    ['retry', "'retry'"],
    [[{ action: 'ok' }], 'an array'],
    [{}, 'an object with no action'],
    [{ action: 'retry', reason: 'bogus' }, "{ action: 'retry', reason: 'bogus' }"],
    [{ action: 'retry', reason: 'forbidden' }, "{ action: 'retry', reason: 'forbidden' }"],
    [{ action: 'fail', reason: 'network' }, "{ action: 'fail', reason: 'network' }"],
    [
      { action: 'fail', reason: 'forbidden', scope: 'global' },
      "{ action: 'fail', reason: 'forbidden', scope: 'global' }",
    ],
    [
      { action: 'retry', reason: 'network', retryAfterMs: -1 },
      "{ action: 'retry', reason: 'network', retryAfterMs: -1 }",
    ],
    [
      { action: 'retry', reason: 'network', retryAfterMs: '5' },
      "{ action: 'retry', reason: 'network', retryAfterMs: '5' }",
    ],
    [{ action: 'stop' }, "{ action: 'stop' }"],
  ])('refuses %j, naming the rule and what it returned', (v, shown) => {
    expect(() =>
      classifyOutcome(outcome({ status: 500 }), [() => undefined, ...ruleReturning(v)], NOW),
    ).toThrow(
      new TypeError(
        `steady: rules[1] returned ${shown}, which is not a Verdict: return undefined to abstain, ` +
          `{ action: 'ok' }, { action: 'retry', reason } or { action: 'fail', reason, scope }`,
      ),
    );
  });

  it('names the rule as the caller says', () => {
    expect(() => classifyOutcome(outcome({}), ruleReturning(7), NOW, (i) => `cohere[${i}]`)).toThrow(
      /^steady: cohere\[0\] returned 7, which is not a Verdict/,
    );
  });

  it('accepts a wait of 0, either scope, and no scope (read as request)', () => {
    const o = outcome({ status: 500, headers: { 'retry-after': '9' } });
    expect(
      classifyOutcome(o, ruleReturning({ action: 'retry', reason: 'network', retryAfterMs: 0 }), NOW),
    ).toEqual({
      action: 'retry',
      reason: 'network',
      retryAfterMs: 0,
      status: 500,
    });
    for (const scope of ['request', 'account'] as const)
      expect(
        classifyOutcome(o, ruleReturning({ action: 'fail', reason: 'forbidden', scope }), NOW),
      ).toMatchObject({ scope });
    expect(
      classifyOutcome(outcome({}), ruleReturning({ action: 'fail', reason: 'forbidden' }), NOW),
    ).toStrictEqual({
      action: 'fail',
      reason: 'forbidden',
      scope: 'request',
    });
    expect(classifyOutcome(outcome({}), ruleReturning({ action: 'ok' }), NOW)).toStrictEqual({
      action: 'ok',
    });
  });

  it('adds no empty status, message or retryAfterMs keys', () => {
    const v = classifyOutcome(outcome({}), ruleReturning({ action: 'retry', reason: 'network' }), NOW);
    expect(Object.keys(v).sort()).toEqual(['action', 'reason']);
  });
});

describe('toOutcome: where the body and headers come from', () => {
  it("uses the error's own body and headers when its response has no status", () => {
    const x = {
      status: 502,
      body: 'own',
      headers: { 'x-own': '1' },
      response: { body: 'theirs', headers: { 'x-r': '1' } },
    };
    expect(toOutcome(x)).toMatchObject({ status: 502, message: 'own', headers: { 'x-own': '1' } });
  });

  it('reads a top-level data or error as the body', () => {
    expect(toOutcome({ status: 400, data: { message: 'from data' } }).message).toBe('from data');
    expect(toOutcome({ status: 400, error: { message: 'from error' } }).message).toBe('from error');
  });

  it("prefers a read response body; an unread one (null, a class instance) gives way to the error's copy", () => {
    const err = (data: unknown) => ({ body: 'own copy', response: { status: 500, data } });
    expect(toOutcome(err('theirs')).message).toBe('theirs');
    expect(toOutcome(err(new TextEncoder().encode('bytes'))).message).toBe('bytes');
    expect(toOutcome(err(['a'])).body).toEqual(['a']);
    expect(toOutcome(err({ message: 'json' })).message).toBe('json');
    expect(toOutcome(err(Object.assign(Object.create(null), { message: 'bare' }))).message).toBe('bare');
    expect(toOutcome(err(null)).message).toBe('own copy');
    expect(toOutcome(err(undefined)).message).toBe('own copy');
    class Stream {
      message = 'not read';
    }
    expect(toOutcome(err(new Stream())).message).toBe('own copy');
  });

  it('reads a status only from a number or a plain 3-digit string', () => {
    expect(toOutcome({ status: [429] }).status).toBeUndefined();
    expect(toOutcome({ status: '429 ' }).status).toBeUndefined();
    expect(toOutcome({ status: true }).status).toBeUndefined();
  });

  it('follows a cause chain 5 deep, not 6', () => {
    const nest = (depth: number) => {
      let e: unknown = Object.assign(new Error('bottom'), { code: 'ECONNRESET' });
      for (let i = 0; i < depth; i++) e = new Error(`level ${i}`, { cause: e });
      return e;
    };
    expect(toOutcome(nest(5)).code).toBe('ECONNRESET');
    expect(toOutcome(nest(6)).code).toBeUndefined();
  });

  it("reads axios's mid-body abort as ECONNRESET, and only that message with that code", () => {
    const err = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(toOutcome(err('stream has been aborted', 'ERR_BAD_RESPONSE')).code).toBe('ECONNRESET');
    expect(toOutcome(err('Request failed with status code 500', 'ERR_BAD_RESPONSE')).code).toBe(
      'ERR_BAD_RESPONSE',
    );
    expect(toOutcome(err('stream has been aborted', 'ERR_CANCELED')).code).toBe('ERR_CANCELED');
  });

  it("reads cohere-ai's 'timeout' reason anywhere down the chain as a TimeoutError", () => {
    const inner = new Error('aborted', { cause: 'timeout' });
    expect(toOutcome(new Error('outer', { cause: inner })).name).toBe('TimeoutError');
    expect(toOutcome(new Error('outer', { cause: new Error('x', { cause: 'other' }) })).name).toBe('Error');
  });
});

describe('toOutcome: bodies', () => {
  it('cuts an ArrayBuffer by bytes before decoding', () => {
    const buf = new TextEncoder().encode('ééé').buffer; // 6 bytes
    expect(toOutcome({ status: 500, body: buf }, 4).body).toBe('éé');
    expect(toOutcome({ status: 500, body: buf }, 3).body).toBe('é\uFFFD');
  });

  it('reads a body of a number or a boolean as nothing, and plain text starting with a digit as text', () => {
    expect(toOutcome({ status: 500, body: 42 }).body).toBeUndefined();
    expect(toOutcome({ status: 500, body: true }).body).toBeUndefined();
    expect(toOutcome({ status: 503, body: '503 Service Unavailable' }).message).toBe(
      '503 Service Unavailable',
    );
    expect(toOutcome({ status: 503, body: '42' })).toMatchObject({ body: '42', message: '42' });
    expect(toOutcome({ status: 503, body: 'null' })).toMatchObject({ body: 'null', message: 'null' });
  });

  it('drops tags only from a body that starts with one, each tag as a space', () => {
    expect(toOutcome({ status: 400, body: 'use <model> as the name' }).message).toBe(
      'use <model> as the name',
    );
    expect(toOutcome({ status: 429, body: '<p>too</p><p>many</p>' }).message).toBe('too many');
  });
});

describe('normalizeHeaders: odd shapes', () => {
  it('skips a non-string name in a Map and keeps reading', () => {
    const map = new Map<unknown, string>([
      [1, 'a'],
      ['X-B', 'b'],
    ]);
    expect(toOutcome({ status: 200, headers: map }).headers).toEqual({ 'x-b': 'b' });
  });

  it('adds no key for a dropped value', () => {
    const o = toOutcome({ status: 200, headers: { 'X-A': 'a', 'X-Obj': {}, 'X-U': undefined } });
    expect(Object.keys(o.headers)).toEqual(['x-a']);
  });

  it('walks an object with an entries method but no get as a plain object', () => {
    const headers = { entries: () => [['x-fake', '1']], 'X-Real': 'y' };
    expect(toOutcome({ status: 200, headers }).headers).toEqual({ 'x-real': 'y' });
  });

  it('reads AxiosHeaders through toJSON, which drops values set to false', () => {
    const headers = new AxiosHeaders();
    headers.set('X-On', 'yes');
    headers.set('X-Off', false as never);
    expect(toOutcome({ status: 200, headers }).headers).toEqual({ 'x-on': 'yes' });
    const notJson = Object.assign(Object.create({ toJSON: () => 'text' }) as object, { 'X-A': 'a' });
    expect(toOutcome({ status: 200, headers: notJson }).headers).toEqual({ 'x-a': 'a' });
  });
});

describe('safe reads', () => {
  it('reads no property of a primitive, and reads those of a function', () => {
    expect(get('abc', 'length')).toBeUndefined();
    expect(get(5, 'toFixed')).toBeUndefined();
    expect(get(undefined, 'x')).toBeUndefined();
    function named() {}
    expect(get(named, 'name')).toBe('named');
    expect(isObject(named)).toBe(true);
    expect(isObject('abc')).toBe(false);
    expect(isObject(null)).toBe(false);
  });
});

describe('retry-after: each part alone, and the tokens-first fallback', () => {
  it('reads a duration of one part', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('7s')).toBe(7_000);
    expect(parseDuration('9ms')).toBe(9);
    expect(parseDuration('')).toBeUndefined();
  });

  it('falls back from an invalid tokens reset to the requests one, then x-ratelimit-reset', () => {
    const spent = { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': 'bad' };
    expect(parseRetryAfter({ ...spent, 'x-ratelimit-reset-requests': '10s' }, NOW)).toBe(10_000);
    expect(parseRetryAfter({ ...spent, 'x-ratelimit-reset': '7' }, NOW)).toBe(7_000);
  });

  it('refuses a second of 61 and keeps 23:59:59', () => {
    expect(parseHttpDate('sun, 06 nov 1994 08:49:61 gmt', NOW)).toBeUndefined();
    expect(parseHttpDate('sun, 06 nov 1994 23:59:59 gmt', NOW)).toBe(Date.UTC(1994, 10, 6, 23, 59, 59));
  });
});

describe('statusAndCode', () => {
  it("reads the status (the error's, else its response's) and the code, and nothing of a primitive", () => {
    expect(statusAndCode({ response: { status: 429 }, code: 'ERR_BAD_REQUEST' })).toEqual({
      status: 429,
      code: 'ERR_BAD_REQUEST',
    });
    expect(statusAndCode({ statusCode: 503, response: { status: 429 } })).toEqual({ status: 503 });
    expect(statusAndCode(new Error('x', { cause: { code: 'ECONNRESET' } }))).toEqual({ code: 'ECONNRESET' });
    expect(statusAndCode('429')).toEqual({});
  });
});

describe('parseBody: a body whose prototype cannot be read', () => {
  it('is no body, and the rest of the outcome stays', () => {
    const body = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(toOutcome({ status: 500, body, headers: { 'x-a': '1' } })).toMatchObject({
      status: 500,
      headers: { 'x-a': '1' },
    });
  });
});
