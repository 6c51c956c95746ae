import { describe, expect, it } from 'vitest';
import { toOutcome } from '../../src/classify/extract.js';

/** The AI SDK's RetryError nested `n` deep (each with `lastError` and `errors`), around a 503. */
function retryErrors(n: number) {
  let inner: Record<string, unknown> = { status: 503, message: 'upstream' };
  for (let i = n; i >= 1; i--)
    inner = { name: 'AI_RetryError', message: `level ${i}`, lastError: inner, errors: [inner] };
  return inner;
}

describe('toOutcome: nested RetryErrors, errors arrays, default names', () => {
  it('follows RetryError.lastError 5 deep, not 6', () => {
    expect(toOutcome(retryErrors(5))).toMatchObject({ status: 503 });
    const six = toOutcome(retryErrors(6));
    expect(six.status).toBeUndefined();
    expect(six.message).toBe('level 6');
  });

  it('reads an error with an errors array but no lastError as itself', () => {
    const x = { status: 500, errors: [], message: 'aggregate' };
    expect(toOutcome(x)).toMatchObject({ status: 500 });
    expect(toOutcome(x).source).toBe(x);
  });

  it("reads the AI SDK's APICallError.responseBody as the body", () => {
    const x = {
      name: 'AI_APICallError',
      statusCode: 400,
      responseBody: '{"error":{"message":"too many tokens"}}',
    };
    expect(toOutcome(x)).toMatchObject({ status: 400, message: 'too many tokens' });
  });

  it("keeps the name 'Error' when the constructor says no more (a plain object, a null prototype)", () => {
    expect(toOutcome({ name: 'Error', message: 'x' }).name).toBe('Error');
    const bare = Object.assign(Object.create(null) as object, { name: 'Error', message: 'x' });
    expect(toOutcome(bare).name).toBe('Error');
    class APIConnectionTimeoutError extends Error {}
    expect(toOutcome(new APIConnectionTimeoutError('t')).name).toBe('APIConnectionTimeoutError');
  });
});
