/**
 * The AI SDK (`ai` 7 with @ai-sdk/openai and @ai-sdk/anthropic) over steadyFetch, against the
 * emulator speaking each provider's wire: the AI SDK's own retries never multiply attempts; its
 * abortSignal and attemptTimeoutMs end the request; its streams break the way steady says
 * (retried before content, StreamInterruptedError after it or without `[DONE]` / `message_stop`).
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, type LanguageModel, streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { constant } from '../../src/backoff/index.js';
import { FatalError, RetriesExhaustedError, StreamInterruptedError } from '../../src/errors/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { openai } from '../../src/presets/openai/index.js';
import type { Preset } from '../../src/presets/types.js';
import { type Emulator, type Provider, startEmulator } from '../../src/sim/emulator/index.js';
import { type ProviderServer, startProviderServer } from '../classify/provider-servers.js';

const KEY = 'test-key';
interface Case {
  provider: Provider;
  preset: () => Preset;
  model: (baseURL: string, fetch: typeof globalThis.fetch) => LanguageModel;
  busy: { status: 429 | 529; message?: string };
}
const CASES: Case[] = [
  {
    provider: 'openai',
    preset: openai,
    model: (baseURL, fetch) => createOpenAI({ apiKey: KEY, baseURL: `${baseURL}/v1`, fetch }).chat('gpt-4o'),
    busy: { status: 429, message: 'Rate limit reached for requests per min (RPM).' },
  },
  {
    provider: 'anthropic',
    preset: anthropic,
    model: (baseURL, fetch) =>
      createAnthropic({ apiKey: KEY, baseURL: `${baseURL}/v1`, fetch })('claude-test'),
    busy: { status: 529 },
  },
];

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** Reads a streamText to its end: the text deltas, and the error it ended with (thrown, or an error part). */
async function read(model: LanguageModel): Promise<{ deltas: number; error: unknown }> {
  const r = streamText({ model, prompt: 'hi', maxOutputTokens: 100, onError: () => {} });
  let deltas = 0;
  let error: unknown;
  try {
    for await (const part of r.fullStream) {
      if (part.type === 'text-delta') deltas++;
      if (part.type === 'error') error = part.error;
    }
  } catch (e) {
    error = e;
  }
  return { deltas, error };
}

/** steady's error, wherever the AI SDK put it (it wraps a failure while reading a body in APICallError). */
const steadyOf = (e: unknown): unknown =>
  (e as { name?: string } | undefined)?.name === 'AI_APICallError' ? (e as { cause?: unknown }).cause : e;

let hang: ProviderServer;
beforeAll(async () => {
  hang = await startProviderServer();
});
afterAll(() => hang.close());

describe.each(CASES)('the AI SDK ($provider) over steadyFetch', (c) => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ provider: c.provider, keys: { [KEY]: 'production' } });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());
  const fetchOf = (retry: { attemptTimeoutMs?: number; maxAttempts?: number } = {}) =>
    steadyFetch(createPolicy({ ...c.preset(), retry: { maxAttempts: 4, backoff: constant(1), ...retry } }));

  it('always busy, with the AI SDK’s default maxRetries: exactly 4 requests', async () => {
    emu.inject(...Array.from({ length: 20 }, () => c.busy));
    const err = await generateText({
      model: c.model(emu.url, fetchOf()),
      prompt: 'hi',
      maxOutputTokens: 50,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(emu.stats().requests).toBe(4);
  });

  it('its abortSignal ends the request in flight', async () => {
    emu.inject({ delayMs: 60_000 });
    const controller = new AbortController();
    const call = generateText({
      model: c.model(emu.url, fetchOf()),
      prompt: 'hi',
      maxOutputTokens: 50,
      abortSignal: controller.signal,
    });
    await until(() => emu.stats().requests === 1);
    controller.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow();
    expect(emu.stats().requests).toBe(1);
  });

  it('attemptTimeoutMs closes each request', async () => {
    const before = hang.count('head-only');
    const model = c.model(`${hang.url}/head-only`, fetchOf({ attemptTimeoutMs: 300, maxAttempts: 2 }));
    const err = await generateText({ model, prompt: 'hi', maxOutputTokens: 50, maxRetries: 0 }).catch(
      (e) => e,
    );
    expect(JSON.stringify((steadyOf(err) as RetriesExhaustedError).verdict)).toContain('timeout');
    expect(hang.count('head-only') - before).toBe(2);
    await until(() => hang.closed('head-only') - before >= 2);
  });

  it("with the AI SDK's own retries on, steady's attempt timeouts are not retried again (no ETIMEDOUT in the chain)", async () => {
    const before = hang.count('head-only');
    const model = c.model(`${hang.url}/head-only`, fetchOf({ attemptTimeoutMs: 300, maxAttempts: 2 }));
    const err = await generateText({ model, prompt: 'hi', maxOutputTokens: 50, maxRetries: 2 }).catch(
      (e) => e,
    );
    expect(JSON.stringify((steadyOf(err) as RetriesExhaustedError).verdict)).toContain('timeout');
    expect(hang.count('head-only') - before).toBe(2);
  });

  it('a drop or an overloaded error before the first content is retried', async () => {
    emu.inject({ streamFailAfter: 0, mode: 'destroy' }, { streamFailAfter: 0, mode: 'event' });
    const { deltas, error } = await read(c.model(emu.url, fetchOf()));
    expect(error).toBeUndefined();
    expect(deltas).toBeGreaterThan(0);
    expect(emu.stats().requests).toBe(3);
  });

  it('an invalid-request error in the stream fails at once', async () => {
    emu.inject({ streamFailAfter: 0, mode: 'event', errorType: 'invalid_request_error' });
    const { error } = await read(c.model(emu.url, fetchOf()));
    expect(steadyOf(error)).toBeInstanceOf(FatalError);
    expect(emu.stats().requests).toBe(1);
  });

  it.each([
    ['a drop after content', { streamFailAfter: 2, mode: 'destroy' as const }],
    ['an end without its terminator', { streamEndEarly: 2 }],
  ])('%s is StreamInterruptedError', async (_what, fault) => {
    emu.inject(fault);
    const { deltas, error } = await read(c.model(emu.url, fetchOf()));
    expect(steadyOf(error)).toBeInstanceOf(StreamInterruptedError);
    expect(deltas).toBe(2);
    expect(emu.stats().requests).toBe(1);
  });
});
