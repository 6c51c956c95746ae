import { inspect } from 'node:util';
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { APICallError, generateText, RetryError } from 'ai';
import ky, { HTTPError } from 'ky';
import OpenAI from 'openai';
import { Agent, request, errors as undiciErrors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { toOutcome } from '../../src/classify/extract.js';
import { FatalError } from '../../src/errors/fatal-error.js';
import { rawCause } from '../../src/errors/raw.js';
import { createPolicy } from '../../src/policy/policy.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { cohere } from '../../src/presets/cohere/index.js';
import { openai } from '../../src/presets/openai/index.js';
import { type ProviderServer, startProviderServer } from './provider-servers.js';

/*
 * What the real libraries throw — openai, @anthropic-ai/sdk, the AI SDK, ky, undici — against a
 * local server, classified. No hand-made copies of their errors, except where noted.
 */
let server: ProviderServer;
const KEY = 'sk-test-key';

async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const oa = (scenario: string, timeout = 10_000) =>
  new OpenAI({ apiKey: KEY, baseURL: `${server.url}/${scenario}`, maxRetries: 0, timeout });
const an = (scenario: string, timeout = 10_000) =>
  new Anthropic({ apiKey: KEY, baseURL: `${server.url}/${scenario}`, maxRetries: 0, timeout });
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };
const message = {
  model: 'claude-test',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());

describe('the SDKs’ timeouts → retry timeout', () => {
  it('openai: APIConnectionTimeoutError (its name is only "Error")', async () => {
    const err = await rejection(oa('hang', 100).chat.completions.create(chat));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(toOutcome(err).name).toBe('APIConnectionTimeoutError');
    expect(classify(err, openai().classifier)).toMatchObject({ action: 'retry', reason: 'timeout' });
  });

  it('@anthropic-ai/sdk: APIConnectionTimeoutError', async () => {
    const err = await rejection(an('hang', 100).messages.create(message));
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(classify(err, anthropic().classifier)).toMatchObject({ action: 'retry', reason: 'timeout' });
  });
});

describe('an in-stream APIError (no status) → by its type', () => {
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _ of stream);
  };

  it('Anthropic `event: error` overloaded_error → retry server-error', async () => {
    const stream = await an('anthropic-stream-overloaded').messages.create({ ...message, stream: true });
    const err = await rejection(drain(stream));
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
    expect(classify(err, anthropic().classifier)).toMatchObject({
      action: 'retry',
      reason: 'server-error',
      message: 'Overloaded',
    });
  });

  it('Anthropic `event: error` invalid_request_error → fail invalid-request', async () => {
    const stream = await an('anthropic-stream-invalid').messages.create({ ...message, stream: true });
    const err = await rejection(drain(stream));
    expect(classify(err, anthropic().classifier)).toMatchObject({
      action: 'fail',
      reason: 'invalid-request',
    });
  });

  it('OpenAI `data: {"error": …}` server_error → retry server-error', async () => {
    const stream = await oa('openai-stream-error').chat.completions.create({ ...chat, stream: true });
    const err = await rejection(drain(stream));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(classify(err, openai().classifier)).toMatchObject({ action: 'retry', reason: 'server-error' });
  });
});

describe('the AI SDK', () => {
  const model = (scenario: string) =>
    createOpenAI({ apiKey: KEY, baseURL: `${server.url}/${scenario}` }).chat('gpt-4o');

  it('APICallError: its statusCode, responseHeaders (the hint) and responseBody', async () => {
    const err = await rejection(generateText({ model: model('openai-429'), prompt: 'hi', maxRetries: 0 }));
    expect(APICallError.isInstance(err)).toBe(true);
    expect(classify(err, openai().classifier)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
      status: 429,
      retryAfterMs: 3_000,
    });
  });

  it('RetryError is classified as its last error', async () => {
    const err = await rejection(
      generateText({ model: model('openai-429-fast'), prompt: 'hi', maxRetries: 1 }),
    );
    expect(RetryError.isInstance(err)).toBe(true);
    expect(server.count('openai-429-fast')).toBe(2);
    expect(classify(err, openai().classifier)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'calls',
      retryAfterMs: 5,
    });
  });
});

describe("ky's HTTPError: its body is read before it is classified", () => {
  it('a Cohere "too many tokens" 400 fails too-many-tokens, once, and the body stays readable', async () => {
    const policy = createPolicy({ ...cohere(), retry: { maxAttempts: 3 } });
    const url = `${server.url}/cohere-tokens-400/v2/chat`;
    const err = await rejection(
      policy.run(({ signal }) => ky.post(url, { json: { message: 'hi' }, retry: 0, signal }).json()),
    );
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).verdict).toMatchObject({
      action: 'fail',
      reason: 'too-many-tokens',
      status: 400,
      message: 'too many tokens: size limit exceeded by 280 tokens.',
    });
    expect(server.count('cohere-tokens-400')).toBe(1);
    const raw = rawCause(err) as HTTPError;
    expect(raw).toBeInstanceOf(HTTPError);
    expect(await raw.response.json()).toEqual({
      message: 'too many tokens: size limit exceeded by 280 tokens.',
    });
  });

  it('a server that echoes the key: the body read for classification is redacted', async () => {
    const secret = 'sk-live-0123456789abcdef';
    const policy = createPolicy({ ...cohere() });
    const failed: unknown[] = [];
    policy.on('fail', (e) => failed.push(e));
    const err = await rejection(
      policy.run(({ signal }) =>
        ky.post(`${server.url}/echo-400`, {
          json: {},
          retry: 0,
          signal,
          headers: { authorization: `Bearer ${secret}` },
        }),
      ),
    );
    expect((err as FatalError).verdict).toMatchObject({
      reason: 'invalid-request',
      message: 'invalid key: [redacted]',
    });
    const shown = inspect(err, { depth: 10 }) + JSON.stringify(err) + inspect(failed, { depth: 10 });
    expect(shown).not.toContain(secret);
  });

  it('a body that never ends: the read stops at attemptTimeoutMs with what arrived', async () => {
    // The server sent `{"message":"too many tokens` and no more: that start is read as text.
    const policy = createPolicy({ ...cohere(), retry: { maxAttempts: 2, attemptTimeoutMs: 200 } });
    const err = await rejection(
      policy.run(({ signal }) => ky.post(`${server.url}/head-400-hang`, { json: {}, retry: 0, signal })),
    );
    expect((err as FatalError).verdict).toMatchObject({
      action: 'fail',
      reason: 'too-many-tokens',
      status: 400,
    });
    expect(server.count('head-400-hang')).toBe(1);
  });

  it("a body that never ends: the caller's abort rejects with its reason", async () => {
    const policy = createPolicy({ ...cohere() });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const call = policy.run(
      ({ signal }) => ky.post(`${server.url}/head-400-hang`, { json: {}, retry: 0, signal }),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(reason), 100);
    expect(await rejection(call)).toBe(reason);
  });

  it('classify alone is synchronous and cannot read it: status only', async () => {
    const err = await rejection(ky.post(`${server.url}/cohere-tokens-400`, { json: {}, retry: 0 }));
    expect(classify(err, cohere().classifier)).toMatchObject({ action: 'fail', reason: 'invalid-request' });
  });
});

describe('undici', () => {
  it('HeadersTimeoutError → timeout, with request() and under fetch', async () => {
    const err = await rejection(request(`${server.url}/hang`, { headersTimeout: 100 }));
    expect(err).toBeInstanceOf(undiciErrors.HeadersTimeoutError);
    expect(classify(err)).toMatchObject({ action: 'retry', reason: 'timeout' });
    const dispatcher = new Agent({ headersTimeout: 100 });
    const viaFetch = await rejection(fetch(`${server.url}/hang`, { dispatcher } as RequestInit));
    expect(classify(viaFetch)).toMatchObject({ action: 'retry', reason: 'timeout' });
    await dispatcher.close();
  });

  it('BodyTimeoutError → timeout', async () => {
    const { body } = await request(`${server.url}/head-only`, { bodyTimeout: 100 });
    const err = await rejection(body.text());
    expect(err).toBeInstanceOf(undiciErrors.BodyTimeoutError);
    expect(classify(err)).toMatchObject({ action: 'retry', reason: 'timeout' });
  });

  it('ConnectTimeoutError → timeout, ResponseContentLengthMismatchError → network (undici’s own classes)', () => {
    // Neither can be provoked on 127.0.0.1: a local connect never times out, and undici's parser
    // stops at content-length. These are undici's real error classes, constructed.
    expect(classify(new undiciErrors.ConnectTimeoutError())).toMatchObject({
      action: 'retry',
      reason: 'timeout',
    });
    const fetchFailed = new TypeError('fetch failed', { cause: new undiciErrors.ConnectTimeoutError() });
    expect(classify(fetchFailed)).toMatchObject({ action: 'retry', reason: 'timeout' });
    expect(classify(new undiciErrors.ResponseContentLengthMismatchError())).toMatchObject({
      action: 'retry',
      reason: 'network',
    });
  });
});

describe('x-should-retry under a policy, with the real openai client', () => {
  it('false: a 500 is not retried (1 request)', async () => {
    const policy = createPolicy({ ...openai(), retry: { maxAttempts: 4 } });
    const err = await rejection(policy.run(() => oa('no-retry-500').chat.completions.create(chat)));
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).verdict).toMatchObject({ reason: 'unclassified', status: 500 });
    expect(server.count('no-retry-500')).toBe(1);
  });

  it('true: a 409 is retried up to maxAttempts', async () => {
    const policy = createPolicy({ ...openai(), retry: { maxAttempts: 3 } });
    await rejection(policy.run(() => oa('retry-409').chat.completions.create(chat)));
    expect(server.count('retry-409')).toBe(3);
  });

  it('an insufficient_quota 429 is not retried, and opens the breaker', async () => {
    const policy = createPolicy({ ...openai(), retry: { maxAttempts: 4 } });
    const err = await rejection(policy.run(() => oa('openai-quota').chat.completions.create(chat)));
    expect((err as FatalError).verdict).toMatchObject({ reason: 'quota-exhausted', scope: 'account' });
    expect(server.count('openai-quota')).toBe(1);
  });
});
