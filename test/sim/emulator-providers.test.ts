/**
 * The emulator's OpenAI- and Anthropic-like modes, read by the real `openai` and `@anthropic-ai/sdk`
 * clients (`maxRetries: 0`, so every request is one at the server): answers, streams, error bodies
 * and the providers' rate-limit headers.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const KEYS = { 'test-key': { callsPerMinute: 3, tokensPerMinute: 10_000 } } as const;
const hi = [{ role: 'user' as const, content: 'x'.repeat(40) }];

describe("provider: 'openai'", () => {
  let emu: Emulator;
  let client: OpenAI;
  beforeAll(async () => {
    emu = await startEmulator({ provider: 'openai', keys: KEYS });
    client = new OpenAI({ apiKey: 'test-key', baseURL: `${emu.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('a chat completion: text, finish reason, usage at chars/4, and x-ratelimit-* after the charge', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: hi, max_tokens: 5 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.choices[0]!.finish_reason).toBe('length');
    expect(data.choices[0]!.message.content!.split(' ')).toHaveLength(5);
    expect(data.usage).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe(String(10_000 - 15));
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
  });

  it('a stream: deltas, the finish chunk, the usage chunk when asked, and [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hi,
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.split(' ')).toHaveLength(4);
    expect(finish).toBe('length');
    expect(usage).toEqual({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 });
  });

  it("its own 429 after 3 calls: RateLimitError, type 'requests', code rate_limit_exceeded, retry-after", async () => {
    for (let i = 0; i < 3; i++)
      await client.chat.completions.create({ model: 'm', messages: hi, max_tokens: 1 });
    const e = await rejection(client.chat.completions.create({ model: 'm', messages: hi, max_tokens: 1 }));
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.type).toBe('requests');
    // the first call leaves the window a minute after it came (less the few ms since): 1m0s, rounded up
    expect(e.error.message).toBe(
      'Rate limit reached for requests in organization org-emulator on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1m0s. Visit https://platform.openai.com/account/rate-limits to learn more.',
    );
    expect(e.headers.get('retry-after')).toBe('60');
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(emu.stats().rateLimited).toEqual({ calls: 1, tokens: 0 });
  });

  it('an injected 503 is InternalServerError with a server_error body; a wrong key is 401 without the key in it', async () => {
    emu.inject({ status: 503 });
    const e = await rejection(client.chat.completions.create({ model: 'm', messages: hi }));
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e.status).toBe(503);
    expect(e.type).toBe('server_error');
    const wrong = new OpenAI({ apiKey: 'sk-secret-value', baseURL: `${emu.url}/v1`, maxRetries: 0 });
    const auth = await rejection(wrong.chat.completions.create({ model: 'm', messages: hi }));
    expect(auth).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(auth.code).toBe('invalid_api_key');
    expect(JSON.stringify(auth.error)).not.toContain('secret');
  });

  it('a stream that fails mid-way sends an error event the SDK throws', async () => {
    emu.inject({ streamFailAfter: 2 });
    const stream = await client.chat.completions.create({ model: 'm', messages: hi, stream: true });
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(e).toBeInstanceOf(OpenAI.APIError);
    expect(e.message).toContain('The server had an error while processing your request');
    expect(seen.filter(Boolean)).toHaveLength(2);
  });
});

describe("provider: 'anthropic'", () => {
  let emu: Emulator;
  let client: Anthropic;
  beforeAll(async () => {
    emu = await startEmulator({ provider: 'anthropic', keys: KEYS });
    client = new Anthropic({ apiKey: 'test-key', baseURL: emu.url, maxRetries: 0 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('a message: text, stop reason, usage, and anthropic-ratelimit-* headers (resets as RFC 3339)', async () => {
    const { data, response } = await client.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: hi })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.id).toMatch(/^msg_/);
    expect(data.stop_reason).toBe('max_tokens');
    expect(data.usage).toMatchObject({ input_tokens: 10, output_tokens: 5 });
    const block = data.content[0]!;
    expect(block.type === 'text' && block.text.split(' ')).toHaveLength(5);
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('3');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('2');
    expect(response.headers.get('anthropic-ratelimit-tokens-remaining')).toBe(String(10_000 - 15));
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
  });

  it("a stream: the SDK's message stream assembles the text and the final usage", async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 4, messages: hi });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('max_tokens');
    expect(final.usage.output_tokens).toBe(4);
    const block = final.content[0]!;
    expect(block.type === 'text' && block.text.split(' ')).toHaveLength(4);
  });

  it('its own 429: RateLimitError with a rate_limit_error body and retry-after; max_tokens missing is a 400', async () => {
    for (let i = 0; i < 3; i++) await client.messages.create({ model: 'c', max_tokens: 1, messages: hi });
    const e = await rejection(client.messages.create({ model: 'c', max_tokens: 1, messages: hi }));
    expect(e).toBeInstanceOf(Anthropic.RateLimitError);
    expect(e.error).toEqual({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: expect.stringMatching(/^Number of requests has exceeded your per-minute rate limit/),
      },
    });
    expect(e.headers.get('retry-after')).toBe('60');
    const raw = await fetch(`${emu.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'c', messages: hi }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });

  it('an injected 529 is OverloadedError; a missing key is authentication_error', async () => {
    emu.inject({ status: 529 });
    const e = await rejection(client.messages.create({ model: 'c', max_tokens: 1, messages: hi }));
    expect(e.status).toBe(529);
    expect(e.error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const raw = await fetch(`${emu.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
  });

  it('a stream that fails mid-way ends with an error event the SDK throws', async () => {
    emu.inject({ streamFailAfter: 2 });
    const stream = client.messages.stream({ model: 'c', max_tokens: 50, messages: hi });
    const e = await rejection(stream.finalMessage());
    expect(e).toBeInstanceOf(Anthropic.APIError);
    expect(e.message).toContain('Overloaded');
  });
});

describe('the provider option', () => {
  it('is checked by name', async () => {
    await expect(startEmulator({ provider: 'gemini' as never })).rejects.toThrow(/provider/);
  });
});
