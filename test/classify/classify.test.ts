import { describe, expect, it } from 'vitest';
import { classify, classifyOutcome } from '../../src/classify/classify.js';
import type { Outcome } from '../../src/classify/outcome.js';
import type { Rule } from '../../src/classify/rule.js';

const NOW = Date.UTC(2025, 0, 1);
const outcome = (o: Partial<Outcome>): Outcome => ({ headers: {}, source: o, ...o });

describe('classifyOutcome', () => {
  it('runs rules in order; the first verdict wins', () => {
    const calls: string[] = [];
    const rules: Rule[] = [
      () => {
        calls.push('a');
        return undefined;
      },
      () => {
        calls.push('b');
        return { action: 'fail', reason: 'forbidden', scope: 'request' };
      },
      () => {
        calls.push('c');
        return { action: 'ok' };
      },
    ];
    expect(classifyOutcome(outcome({ status: 429 }), rules, NOW)).toMatchObject({
      action: 'fail',
      reason: 'forbidden',
    });
    expect(calls).toEqual(['a', 'b']);
  });

  it('user rules sit on top of the HTTP rules', () => {
    const treat418AsRetry: Rule = (o) =>
      o.status === 418 ? { action: 'retry', reason: 'server-error' } : undefined;
    expect(classifyOutcome(outcome({ status: 418 }), [treat418AsRetry], NOW)).toMatchObject({
      action: 'retry',
    });
    expect(classifyOutcome(outcome({ status: 418 }), [], NOW)).toMatchObject({
      action: 'fail',
      reason: 'unclassified',
    });
  });

  it('falls back to the HTTP rules, then to fail/unclassified with scope request', () => {
    expect(classifyOutcome(outcome({ status: 503 }), [], NOW)).toEqual({
      action: 'retry',
      reason: 'server-error',
      status: 503,
    });
    expect(classifyOutcome(outcome({}), [], NOW)).toEqual({
      action: 'fail',
      reason: 'unclassified',
      scope: 'request',
    });
  });

  it('attaches status and message', () => {
    expect(classifyOutcome(outcome({ status: 400, message: 'bad' }), [], NOW)).toEqual({
      action: 'fail',
      reason: 'invalid-request',
      scope: 'request',
      status: 400,
      message: 'bad',
    });
  });

  it("keeps a rule's own status and message over the outcome's", () => {
    const rule: Rule = () => ({
      action: 'fail',
      reason: 'forbidden',
      scope: 'account',
      status: 403,
      message: 'mine',
    });
    expect(classifyOutcome(outcome({ status: 400, message: 'bad' }), [rule], NOW)).toEqual({
      action: 'fail',
      reason: 'forbidden',
      scope: 'account',
      status: 403,
      message: 'mine',
    });
    // Without them, the outcome's are attached; with neither, none is.
    const bare: Rule = () => ({ action: 'retry', reason: 'network' });
    expect(classifyOutcome(outcome({}), [bare], NOW)).toEqual({ action: 'retry', reason: 'network' });
  });

  it('attaches retryAfterMs from headers, else from the message text', () => {
    expect(classifyOutcome(outcome({ status: 429, headers: { 'retry-after': '3' } }), [], NOW)).toMatchObject(
      {
        retryAfterMs: 3_000,
      },
    );
    const fromText = classifyOutcome(outcome({ status: 429, message: 'Please try again in 1.5s.' }), [], NOW);
    expect(fromText).toMatchObject({ action: 'retry', retryAfterMs: 1_500 });
    const both = outcome({ status: 429, headers: { 'retry-after': '3' }, message: 'try again in 9s' });
    expect(classifyOutcome(both, [], NOW)).toMatchObject({ retryAfterMs: 3_000 });
  });

  it("keeps a rule's own retryAfterMs, and adds none to fail verdicts", () => {
    const rule: Rule = () => ({ action: 'retry', reason: 'rate-limited', retryAfterMs: 42 });
    expect(classifyOutcome(outcome({ headers: { 'retry-after': '3' } }), [rule], NOW)).toMatchObject({
      retryAfterMs: 42,
    });
    const fail = classifyOutcome(outcome({ status: 400, headers: { 'retry-after': '3' } }), [], NOW);
    expect(fail).not.toHaveProperty('retryAfterMs');
  });

  it('measures an HTTP-date hint from the given now', () => {
    const at = new Date(NOW + 10_000).toUTCString();
    expect(classifyOutcome(outcome({ status: 503, headers: { 'retry-after': at } }), [], NOW)).toMatchObject({
      retryAfterMs: 10_000,
    });
  });

  it('does not mutate a frozen verdict a rule returns', () => {
    const frozen = Object.freeze({ action: 'retry', reason: 'network' }) as never;
    const v = classifyOutcome(outcome({ status: 502, message: 'x' }), [() => frozen], NOW);
    expect(v).toEqual({ action: 'retry', reason: 'network', status: 502, message: 'x' });
  });

  it('lets a throwing rule throw (a bug in a rule is not a verdict)', () => {
    const broken: Rule = () => {
      throw new Error('rule bug');
    };
    expect(() => classifyOutcome(outcome({ status: 500 }), [broken], NOW)).toThrow('rule bug');
  });
});

describe('classify', () => {
  it('extracts then classifies', () => {
    expect(
      classify({ status: 429, headers: { 'Retry-After': '2' }, body: '{"message":"slow down"}' }, [], NOW),
    ).toEqual({
      action: 'retry',
      reason: 'rate-limited',
      status: 429,
      message: 'slow down',
      retryAfterMs: 2_000,
    });
    expect(classify(null)).toEqual({ action: 'fail', reason: 'unclassified', scope: 'request' });
    expect(classify(new Response(null, { status: 204 }))).toEqual({ action: 'ok', status: 204 });
  });
});
