import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { cohere } from '../../src/presets/cohere/index.js';

/* Meaning, not exact strings: other numbers and models, other quotes, other casing, text bodies. */
const rules = cohere().classifier;
const json = (status: number, message: string) => classify({ status, body: { message } }, rules, 0);
const textBody = (status: number, body: string) => classify({ status, body }, rules, 0);

describe('Cohere rules on variants', () => {
  it.each([
    'too many tokens: total number of tokens in the prompt cannot exceed 128000 - received 131072.',
    'TOO MANY TOKENS: max tokens must be less than or equal to 8000, the maximum output for this model - received 9000.',
    'Too Many Tokens: size limit exceeded by 7 tokens. Try setting prompt_truncation="AUTO".',
    "too many tokens: size limit exceeded by 1,024 tokens. Try setting prompt_truncation='AUTO'.",
    'size limit exceeded by 99 tokens',
    'too many input tokens for model command-a-03-2025',
  ])('400 %j → too-many-tokens', (message) => {
    expect(json(400, message)).toMatchObject({ action: 'fail', reason: 'too-many-tokens', scope: 'request' });
  });

  it.each([
    'invalid request: model "command-r7b-12-2024" is not supported by the generate API',
    "invalid request: model 'command-a' is not supported by the generate API",
    'Invalid Request: Temperature must be between 0 and 5.0 inclusive.',
    'SYSTEM TURN MUST BE THE FIRST IN THE LIST',
    'multi step limit reached - set a higher limit (7)',
    'connectors failed with continue on failure disabled: connector “web” failed with message “failed to get auth token: user is not authenticated for connector web”',
    'invalid request: max_tokens can only be 0 if return_likelihoods is set to "ALL"',
    '',
  ])('400 %j → invalid-request', (message) => {
    expect(json(400, message)).toMatchObject({ action: 'fail', reason: 'invalid-request', scope: 'request' });
  });

  it('422 is an invalid request too, and may be too many tokens', () => {
    expect(json(422, 'invalid request: bad enum')).toMatchObject({ reason: 'invalid-request' });
    expect(json(422, 'too many tokens: oops')).toMatchObject({ reason: 'too-many-tokens' });
  });

  it.each(['Invalid API Token', 'NO API KEY SUPPLIED', 'Your API key has expired.', ''])(
    '401 %j → unauthorized/account',
    (m) => {
      expect(json(401, m)).toMatchObject({ action: 'fail', reason: 'unauthorized', scope: 'account' });
    },
  );

  it.each([
    'MAXIMUM BILLING REACHED for this API key; your billing capacity will reset at the beginning of next month.',
    'maximum billing reached for this key',
    'Your spend limit was reached',
  ])('402 %j → quota-exhausted/account', (m) => {
    expect(json(402, m)).toMatchObject({ action: 'fail', reason: 'quota-exhausted', scope: 'account' });
  });

  it('402 asking for a payment method → payment-required/account', () => {
    expect(
      json(
        402,
        'Please add or update your payment method at https://dashboard.cohere.com/billing to continue',
      ),
    ).toMatchObject({
      action: 'fail',
      reason: 'payment-required',
      scope: 'account',
    });
  });

  it.each([
    ['You are past the per-minute request limit, please wait.', 'calls'],
    ['YOU ARE PAST THE PER MINUTE REQUEST LIMIT', 'calls'],
    ['You are using a Trial key, which is limited to 20 API calls/minute.', 'calls'],
    ['limited to 500 requests per minute', 'calls'],
    ['Trial Token Rate Limit Exceeded, limit is 250000 Tokens Per Minute', 'tokens'],
    ['production token rate limit exceeded, limit is 2000000 tokens per minute', 'tokens'],
    ['limit is 100000 tokens/minute', 'tokens'],
  ] as const)('429 %j → rate-limited %s', (message, limit) => {
    expect(json(429, message)).toMatchObject({ action: 'retry', reason: 'rate-limited', limit });
  });

  it.each(['Please wait and try again later', 'PLEASE WAIT AND TRY AGAIN LATER!', 'slow down', ''])(
    '429 %j → rate-limited without a limit',
    (message) => {
      const v = json(429, message);
      expect(v).toMatchObject({ action: 'retry', reason: 'rate-limited' });
      expect(v).not.toHaveProperty('limit');
    },
  );

  it.each([
    'You are using a Trial key, which is limited to 1000 API calls / month. Upgrade to a Production key.',
    "trial key: you have reached this key's monthly limit",
    'You have exceeded your monthly API call limit',
    'Daily request quota exceeded',
    'limit of 10000 calls per day reached',
    'You exceeded your current quota, please check your plan and billing details.',
  ])('429 %j → quota-exhausted/account', (message) => {
    expect(json(429, message)).toMatchObject({ action: 'fail', reason: 'quota-exhausted', scope: 'account' });
  });

  it.each([
    ['Request Cancelled', 'cancelled'],
    ['failed to get embed inference: request cancelled', 'cancelled'],
    ['REQUEST CANCELLED BY USER', 'cancelled'],
    ['', 'cancelled'],
    ['Streaming Error - connection reset', 'stream-error'],
    ['stream error: upstream closed', 'stream-error'],
  ] as const)('499 %j → retry %s', (message, reason) => {
    expect(json(499, message)).toEqual({
      action: 'retry',
      reason,
      status: 499,
      ...(message ? { message } : {}),
    });
  });

  it('reads text and HTML bodies', () => {
    expect(textBody(429, 'trial token rate limit exceeded, limit is 100000 tokens per minute')).toMatchObject(
      {
        reason: 'rate-limited',
        limit: 'tokens',
      },
    );
    expect(textBody(429, '<html><body><h1>429 Too Many Requests</h1></body></html>')).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      message: '429 Too Many Requests',
    });
    expect(textBody(400, 'too many tokens: size limit exceeded by 3 tokens')).toMatchObject({
      reason: 'too-many-tokens',
    });
    expect(textBody(499, 'streaming error')).toMatchObject({ reason: 'stream-error' });
    expect(textBody(502, '<html><h1>502 Bad Gateway</h1></html>')).toMatchObject({
      action: 'retry',
      reason: 'server-error',
    });
  });

  it('leaves other statuses and errors to the HTTP rules', () => {
    expect(json(403, 'forbidden')).toMatchObject({ action: 'fail', reason: 'forbidden', scope: 'request' });
    expect(json(503, 'overloaded')).toMatchObject({ action: 'retry', reason: 'server-error' });
    expect(classify(new DOMException('x', 'AbortError'), rules)).toMatchObject({ reason: 'aborted' });
  });
});
