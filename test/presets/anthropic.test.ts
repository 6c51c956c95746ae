import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { estimateAnthropicTokens, readAnthropicUsage } from '../../src/presets/anthropic/usage.js';

const rules = anthropic().classifier;
const body = (type: string, message: string, details?: unknown) => ({
  type: 'error',
  error: details === undefined ? { type, message } : { type, message, details },
  request_id: 'req_011',
});
const at = (status: number | undefined, b: unknown) =>
  classify(status === undefined ? { error: b } : { status, body: b }, rules);

describe('anthropic(): the error catalogue', () => {
  it.each([
    [529, 'overloaded_error', 'Overloaded', { action: 'retry', reason: 'server-error' }],
    [500, 'api_error', 'Internal server error', { action: 'retry', reason: 'server-error' }],
    [
      400,
      'invalid_request_error',
      'messages: field required',
      { action: 'fail', reason: 'invalid-request', scope: 'request' },
    ],
    [
      400,
      'invalid_request_error',
      'prompt is too long: 210000 tokens > 200000 maximum',
      { action: 'fail', reason: 'too-many-tokens' },
    ],
    [
      400,
      'invalid_request_error',
      'Your credit balance is too low to access the Anthropic API.',
      { action: 'fail', reason: 'payment-required', scope: 'account' },
    ],
    [
      401,
      'authentication_error',
      'invalid x-api-key',
      { action: 'fail', reason: 'unauthorized', scope: 'account' },
    ],
    [402, 'billing_error', 'payment issue', { action: 'fail', reason: 'payment-required', scope: 'account' }],
    [
      403,
      'permission_error',
      'no access to this model',
      { action: 'fail', reason: 'forbidden', scope: 'request' },
    ],
    [404, 'not_found_error', 'model: claude-9', { action: 'fail', reason: 'not-found' }],
    [
      413,
      'request_too_large',
      'Request exceeds the maximum allowed number of bytes.',
      { action: 'fail', reason: 'invalid-request' },
    ],
    [
      429,
      'rate_limit_error',
      'This request would exceed the rate limit for your organization of 50,000 input tokens per minute.',
      { action: 'retry', reason: 'rate-limited', limit: 'tokens' },
    ],
    [
      429,
      'rate_limit_error',
      'Number of requests has exceeded your per-minute rate limit (RPM)',
      { action: 'retry', reason: 'rate-limited', limit: 'calls' },
    ],
    [429, 'rate_limit_error', 'slow down', { action: 'retry', reason: 'rate-limited' }],
  ])('%i %s → %j', (status, type, message, want) => {
    expect(at(status, body(type, message))).toMatchObject(want);
  });

  it('spending caps fail quota-exhausted, scope account, whatever the status', () => {
    expect(at(429, body('enforced_spend_limit_reached', 'Spend limit reached'))).toMatchObject({
      action: 'fail',
      reason: 'quota-exhausted',
      scope: 'account',
    });
    expect(
      at(400, body('invalid_request_error', 'x', { error_code: 'enforced_spend_limit_reached' })),
    ).toMatchObject({ reason: 'quota-exhausted', scope: 'account' });
    expect(
      at(429, body('rate_limit_error', 'You have reached your spend limit for this month')),
    ).toMatchObject({ reason: 'quota-exhausted', scope: 'account' });
    const workspace =
      'You have reached your specified API usage limits. You will regain access on 2026-01-01 at 00:00 UTC.';
    expect(at(400, body('invalid_request_error', workspace))).toMatchObject({
      reason: 'quota-exhausted',
      scope: 'account',
    });
  });

  it('a streamed error (no status) by its type: overloaded retries, invalid_request fails', () => {
    expect(at(undefined, body('overloaded_error', 'Overloaded'))).toMatchObject({
      action: 'retry',
      reason: 'server-error',
      message: 'Overloaded',
    });
    expect(at(undefined, body('invalid_request_error', 'bad'))).toMatchObject({
      action: 'fail',
      reason: 'invalid-request',
    });
    expect(at(undefined, body('rate_limit_error', 'slow down'))).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
    });
  });

  it('a 529 without a body is still overloaded', () => {
    expect(at(529, '')).toMatchObject({ action: 'retry', reason: 'server-error' });
  });
});

describe('anthropic(): usage and estimate', () => {
  it('reads a Message, message_start and message_delta; cache reads are not counted', () => {
    const usage = {
      input_tokens: 10,
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 5_000,
      output_tokens: 30,
    };
    expect(readAnthropicUsage({ type: 'message', usage })).toEqual({ tokens: 240 });
    expect(
      readAnthropicUsage({
        type: 'message_start',
        message: { usage: { input_tokens: 25, output_tokens: 1 } },
      }),
    ).toEqual({ tokens: 26 });
    expect(
      readAnthropicUsage({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn' },
        usage: { output_tokens: 15 },
      }),
    ).toEqual({ tokens: 15 });
    expect(readAnthropicUsage({ data: { usage }, response: {} })).toEqual({ tokens: 240 });
    expect(readAnthropicUsage({ type: 'content_block_delta' })).toBeUndefined();
  });

  it('estimates system + messages text / 4 plus max_tokens; images left out', () => {
    const req = {
      model: 'claude-sonnet-4-5',
      system: 's'.repeat(8),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 't'.repeat(12) },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(10_000) } },
          ],
        },
      ],
      max_tokens: 100,
    };
    expect(estimateAnthropicTokens(req)).toBe(105);
    expect(estimateAnthropicTokens({ ...req, max_tokens: undefined })).toBe(5 + 1_024);
  });

  it('limits as given; a misspelt option named', () => {
    expect(anthropic({ limits: { calls: { limit: 50, windowMs: 60_000 } } }).limits).toEqual({
      calls: { limit: 50, windowMs: 60_000 },
    });
    expect(anthropic()).not.toHaveProperty('limits');
    expect(() => anthropic({ tier: 1 } as never)).toThrow(
      'steady: anthropic.tier is not an option of anthropic',
    );
  });
});
