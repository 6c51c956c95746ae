import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { createPolicy } from '../../src/policy/policy.js';
import { openai } from '../../src/presets/openai/index.js';
import { estimateOpenAITokens, readOpenAIUsage } from '../../src/presets/openai/usage.js';

const rules = openai().classifier;
const body = (type: string | null, code: string | null, message: string) => ({
  error: { message, type, param: null, code },
});
const at = (status: number | undefined, b: unknown, headers: Record<string, string> = {}) =>
  classify(status === undefined ? { error: b, headers } : { status, body: b, headers }, rules);

describe('openai(): the error catalogue', () => {
  it('insufficient_quota (a 429) fails quota-exhausted, scope account — not retried', () => {
    const quota = body(
      'insufficient_quota',
      'insufficient_quota',
      'You exceeded your current quota, please check your plan and billing details.',
    );
    expect(at(429, quota)).toMatchObject({ action: 'fail', reason: 'quota-exhausted', scope: 'account' });
    // The same with only the message (an older body).
    expect(at(429, { error: { message: quota.error.message } })).toMatchObject({
      action: 'fail',
      reason: 'quota-exhausted',
    });
  });

  it('rate_limit_exceeded retries, naming the dimension from type or message', () => {
    const tokens = body(
      'tokens',
      'rate_limit_exceeded',
      'Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 6m0s.',
    );
    expect(at(429, tokens)).toEqual({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
      status: 429,
      message: tokens.error.message,
      retryAfterMs: 360_000,
    });
    const requests = body(
      'requests',
      'rate_limit_exceeded',
      'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.',
    );
    expect(at(429, requests)).toMatchObject({ action: 'retry', reason: 'rate-limited', limit: 'calls' });
    expect(at(429, { error: { message: 'Rate limit reached on RPM' } })).toMatchObject({ limit: 'calls' });
  });

  it('the rest of the catalogue', () => {
    expect(
      at(
        400,
        body(
          'invalid_request_error',
          'context_length_exceeded',
          "This model's maximum context length is 128000 tokens.",
        ),
      ),
    ).toMatchObject({ action: 'fail', reason: 'too-many-tokens', scope: 'request' });
    expect(
      at(400, body('invalid_request_error', null, "This model's maximum context length is 8192 tokens.")),
    ).toMatchObject({ reason: 'too-many-tokens' });
    expect(at(400, body('invalid_request_error', null, 'Invalid value for temperature'))).toMatchObject({
      action: 'fail',
      reason: 'invalid-request',
    });
    expect(
      at(401, body('invalid_request_error', 'invalid_api_key', 'Incorrect API key provided: sk-…')),
    ).toMatchObject({ reason: 'unauthorized', scope: 'account' });
    expect(
      at(
        403,
        body(
          'request_forbidden',
          'unsupported_country_region_territory',
          'Country, region, or territory not supported',
        ),
      ),
    ).toMatchObject({ reason: 'forbidden', scope: 'account' });
    expect(
      at(404, body('invalid_request_error', 'model_not_found', 'The model `gpt-9` does not exist')),
    ).toMatchObject({ reason: 'not-found' });
    expect(
      at(
        429,
        body(
          'billing_hard_limit_reached',
          'billing_hard_limit_reached',
          'Billing hard limit has been reached',
        ),
      ),
    ).toMatchObject({ reason: 'quota-exhausted', scope: 'account' });
    expect(at(409, body(null, null, 'lock timeout'))).toMatchObject({
      action: 'retry',
      reason: 'server-error',
    });
    expect(
      at(503, body('server_error', null, 'The engine is currently overloaded, please try again later')),
    ).toMatchObject({ action: 'retry', reason: 'server-error' });
  });

  it('a streamed error (no status) is read by its type', () => {
    expect(
      at(undefined, { message: 'The server had an error', type: 'server_error', code: null }),
    ).toMatchObject({ action: 'retry', reason: 'server-error' });
    expect(at(undefined, { message: 'bad', type: 'invalid_request_error', code: null })).toMatchObject({
      action: 'fail',
      reason: 'invalid-request',
    });
    expect(at(undefined, { message: 'TPM', type: 'tokens', code: 'rate_limit_exceeded' })).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
    });
  });

  it('x-should-retry overrides the status, never an account-wide failure', () => {
    const plain = body('server_error', null, 'oops');
    expect(at(500, plain, { 'x-should-retry': 'false' })).toMatchObject({
      action: 'fail',
      reason: 'unclassified',
      scope: 'request',
      status: 500,
    });
    expect(at(400, body('invalid_request_error', null, 'x'), { 'x-should-retry': 'true' })).toMatchObject({
      action: 'retry',
      reason: 'server-error',
    });
    expect(at(429, body(null, null, 'slow down'), { 'x-should-retry': 'TRUE ' })).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
    });
    const quota = body('insufficient_quota', 'insufficient_quota', 'You exceeded your current quota');
    expect(at(429, quota, { 'x-should-retry': 'true' })).toMatchObject({
      action: 'fail',
      reason: 'quota-exhausted',
      scope: 'account',
    });
    expect(at(500, plain, { 'x-should-retry': 'maybe' })).toMatchObject({
      action: 'retry',
      reason: 'server-error',
    });
  });
});

describe('openai(): usage and estimate', () => {
  it('reads Chat Completions, Responses, streamed and withResponse usage', () => {
    expect(
      readOpenAIUsage({ usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } }),
    ).toEqual({ tokens: 42 });
    expect(readOpenAIUsage({ usage: { input_tokens: 100, output_tokens: 7, total_tokens: 107 } })).toEqual({
      tokens: 107,
    });
    expect(readOpenAIUsage({ usage: { prompt_tokens: 8, total_tokens: 8 } })).toEqual({ tokens: 8 }); // embeddings
    expect(readOpenAIUsage({ usage: { total_tokens: 9 } })).toEqual({ tokens: 9 });
    expect(
      readOpenAIUsage({
        type: 'response.completed',
        response: { usage: { input_tokens: 5, output_tokens: 6 } },
      }),
    ).toEqual({ tokens: 11 });
    expect(
      readOpenAIUsage({ data: { usage: { prompt_tokens: 1, completion_tokens: 2 } }, response: {} }),
    ).toEqual({ tokens: 3 });
    expect(readOpenAIUsage({ choices: [{ delta: { content: 'hi' } }], usage: null })).toBeUndefined();
    expect(readOpenAIUsage(null)).toBeUndefined();
  });

  it('estimates a request: chars / 4 plus the output cap', () => {
    // 40 characters of content → 10 tokens, + max_tokens 100.
    const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(40) }], max_tokens: 100 };
    expect(estimateOpenAITokens(chat)).toBe(110);
    expect(estimateOpenAITokens({ ...chat, max_tokens: undefined, max_completion_tokens: 20 })).toBe(30);
    expect(estimateOpenAITokens({ ...chat, max_tokens: undefined })).toBe(10 + 512);
    // Content parts: the text counts, the image URL does not.
    const parts = {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'y'.repeat(8) },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(4000)}` } },
          ],
        },
      ],
      max_tokens: 0,
    };
    expect(estimateOpenAITokens(parts)).toBe(2);
    // Responses API: input + instructions, max_output_tokens.
    expect(
      estimateOpenAITokens({
        model: 'gpt-4o',
        instructions: 'a'.repeat(4),
        input: 'b'.repeat(8),
        max_output_tokens: 10,
      }),
    ).toBe(13);
    // Embeddings: no output.
    expect(
      estimateOpenAITokens({ model: 'text-embedding-3-small', input: ['c'.repeat(16), 'd'.repeat(4)] }),
    ).toBe(5);
    expect(estimateOpenAITokens(42)).toBeUndefined();
  });
});

describe('openai(): options', () => {
  it('limits as given; none by default; a bad option named at construction', () => {
    const limits = { calls: { limit: 500, windowMs: 60_000 }, tokens: { limit: 200_000, windowMs: 60_000 } };
    expect(openai({ limits }).limits).toEqual(limits);
    expect(openai()).not.toHaveProperty('limits');
    expect(() => openai({ limts: limits } as never)).toThrow(
      'steady: openai.limts is not an option of openai; did you mean limits?',
    );
    expect(() => openai({ limits: { calls: { limit: 0, windowMs: 60_000 } } })).toThrow(
      /openai\.limits\.calls\.limit/,
    );
    expect(
      createPolicy(openai({ limits })).classify({
        status: 429,
        body: body('insufficient_quota', 'insufficient_quota', 'quota'),
      }),
    ).toMatchObject({ reason: 'quota-exhausted' });
  });
});
