/**
 * The real cohere-ai SDK (v8) against the emulator. Every SDK call passes `{ maxRetries: 0 }` (the SDK
 * retries 408/429/5xx twice by default) and every test checks through stats() what the server saw.
 */
import { Cohere, CohereClient, CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';

const once = { maxRetries: 0 } as const;
const MODEL = 'command-a-03-2025';
const user = (content: string) => [{ role: 'user' as const, content }];

let emu: Emulator;
let v2: CohereClientV2;
let v1: CohereClient;

beforeAll(async () => {
  emu = await startEmulator({ keys: { 'test-key': 'trial', 'prod-key': 'production' } });
  v2 = new CohereClientV2({ token: 'test-key', environment: emu.url });
  v1 = new CohereClient({ token: 'test-key', environment: emu.url });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('successful calls through the SDK', () => {
  it('v2 chat returns text, finish reason and usage billed at chars/4', async () => {
    const res = await v2.chat({ model: MODEL, messages: user('x'.repeat(40)), maxTokens: 30 }, once);
    expect(res.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.message.role).toBe('assistant');
    const text = res.message.content?.[0];
    expect(text?.type).toBe('text');
    expect(text?.type === 'text' && text.text.split(' ')).toHaveLength(30);
    expect(res.finishReason).toBe('MAX_TOKENS');
    expect(res.usage?.billedUnits).toEqual({ inputTokens: 10, outputTokens: 30 });
    expect(res.usage?.tokens).toEqual({ inputTokens: 10, outputTokens: 30 });
    const s = emu.stats();
    expect(s.requests).toBe(1);
    expect(s.byPath).toEqual({ '/v2/chat': 1 });
    expect(s.byStatus).toEqual({ 200: 1 });
    expect(s.tokensBilled).toBe(40);
  });

  it('without max_tokens the output is 50–400 tokens, the same for the same request', async () => {
    const a = await v2.chat({ model: MODEL, messages: user('same question') }, once);
    const b = await v2.chat({ model: MODEL, messages: user('same question') }, once);
    const out = a.usage?.billedUnits?.outputTokens ?? 0;
    expect(out).toBeGreaterThanOrEqual(50);
    expect(out).toBeLessThanOrEqual(400);
    expect(b.usage?.billedUnits?.outputTokens).toBe(out);
    expect(a.finishReason).toBe('COMPLETE');
  });

  it('chatStream yields message-start, content-start, deltas, content-end, message-end', async () => {
    const stream = await v2.chatStream({ model: MODEL, messages: user('stream please'), maxTokens: 5 }, once);
    const types: string[] = [];
    let text = '';
    let end: Cohere.ChatMessageEndEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
      if (event.type === 'message-end') end = event;
    }
    expect(types).toEqual([
      'message-start',
      'content-start',
      ...Array(5).fill('content-delta'),
      'content-end',
      'message-end',
    ]);
    expect(text.split(' ')).toHaveLength(5);
    expect(end?.delta?.finishReason).toBe('MAX_TOKENS');
    expect(end?.delta?.usage?.billedUnits).toEqual({ inputTokens: 4, outputTokens: 5 });
    expect(emu.stats().requests).toBe(1);
  });

  it('v1 chat returns text, generation_id and meta.billed_units', async () => {
    const res = await v1.chat({ message: 'hello v1', maxTokens: 7 }, once);
    expect(res.text.split(' ')).toHaveLength(7);
    expect(res.generationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.meta?.billedUnits).toMatchObject({ inputTokens: 2, outputTokens: 7 });
    expect(emu.stats().byPath).toEqual({ '/v1/chat': 1 });
  });

  it('v1 chatStream yields stream-start, text-generation and stream-end', async () => {
    const stream = await v1.chatStream({ message: 'hi', maxTokens: 3 }, once);
    const types: string[] = [];
    for await (const event of stream) types.push(event.eventType);
    expect(types).toEqual([
      'stream-start',
      'text-generation',
      'text-generation',
      'text-generation',
      'stream-end',
    ]);
  });

  it('v2 embed returns one vector a text per requested type, billing input tokens only', async () => {
    const res = await v2.embed(
      {
        model: 'embed-v4.0',
        texts: ['abcd', 'abcdefgh'],
        inputType: 'search_document',
        embeddingTypes: ['float', 'int8'],
        outputDimension: 16,
      },
      once,
    );
    expect(res.embeddings.float).toHaveLength(2);
    expect(res.embeddings.float?.[0]).toHaveLength(16);
    expect(Math.hypot(...(res.embeddings.float?.[0] ?? []))).toBeCloseTo(1, 3);
    expect(res.embeddings.int8?.[1]).toHaveLength(16);
    expect(res.texts).toEqual(['abcd', 'abcdefgh']);
    expect(res.meta?.billedUnits?.inputTokens).toBe(3);
    expect(emu.stats().tokensBilled).toBe(3);
  });

  it('v1 embed without embedding_types answers embeddings_floats', async () => {
    const res = await v1.embed({ texts: ['one'] }, once);
    expect(res.responseType).toBe('embeddings_floats');
    expect(res.responseType === 'embeddings_floats' && res.embeddings[0]).toHaveLength(64);
  });
});

describe('authentication', () => {
  it('a wrong key → UnauthorizedError (a CohereError), 401, "invalid api token"', async () => {
    const bad = new CohereClientV2({ token: 'nope', environment: emu.url });
    const err = await rejection(bad.chat({ model: MODEL, messages: user('hi') }, once));
    expect(err).toBeInstanceOf(Cohere.UnauthorizedError);
    expect(err).toBeInstanceOf(CohereError);
    expect(err.statusCode).toBe(401);
    expect(err.body).toEqual({ message: 'invalid api token' });
    expect(emu.stats()).toMatchObject({ requests: 1, byStatus: { 401: 1 }, accepted: 0 });
  });

  it('no key (token "") → 401 "no api key supplied"', async () => {
    const none = new CohereClientV2({ token: '', environment: emu.url });
    const err = await rejection(none.chat({ model: MODEL, messages: user('hi') }, once));
    expect(err.statusCode).toBe(401);
    expect(err.body).toEqual({ message: 'no api key supplied' });
  });
});

describe('rate limits', () => {
  const post = (key: string, body: object) =>
    fetch(`${emu.url}/v2/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('the 41st call in a minute on a trial key → 429 with the trial message and Retry-After', async () => {
    for (let i = 0; i < 40; i++) {
      const ok = await post('test-key', { model: MODEL, messages: user(`call ${i}`), max_tokens: 10 });
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
    const res = await post('test-key', { model: MODEL, messages: user('one too many'), max_tokens: 10 });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/^You are using a Trial key, which is limited to 40 API calls \/ minute\./);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get('x-trial-endpoint-call-remaining')).toBe('0');
    const s = emu.stats();
    expect(s).toMatchObject({ requests: 41, accepted: 40, rateLimited: { calls: 1, tokens: 0 } });
    expect(s.maxCallsInAnyWindow).toBe(40);
    expect(s.tokensBilled).toBe(s.byKey['test-key']?.tokensBilled);
  });

  it('the SDK surfaces the 429 as TooManyRequestsError with the message in body', async () => {
    for (let i = 0; i < 40; i++) await v2.chat({ model: MODEL, messages: user(`c${i}`), maxTokens: 1 }, once);
    const err = await rejection(v2.chat({ model: MODEL, messages: user('more'), maxTokens: 1 }, once));
    expect(err).toBeInstanceOf(Cohere.TooManyRequestsError);
    expect(err.statusCode).toBe(429);
    expect(err.rawResponse.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(emu.stats().requests).toBe(41);
  });

  it('a tokens-bound burst → 429 with the tokens message, not charged', async () => {
    const big = 'x'.repeat(100_000); // 25,000 input tokens + at most 100 output tokens
    for (let i = 0; i < 3; i++) await v2.chat({ model: MODEL, messages: user(big), maxTokens: 100 }, once);
    const err = await rejection(v2.chat({ model: MODEL, messages: user(big), maxTokens: 100 }, once));
    expect(err.statusCode).toBe(429);
    expect(err.body).toEqual({
      message: 'trial token rate limit exceeded, limit is 100000 tokens per minute',
    });
    const s = emu.stats();
    expect(s).toMatchObject({ requests: 4, accepted: 3, rateLimited: { calls: 0, tokens: 1 } });
    expect(s.maxTokensInAnyWindow).toBe(s.tokensBilled);
    expect(s.tokensBilled).toBeGreaterThan(75_000);
    expect(s.tokensBilled).toBeLessThanOrEqual(75_300);
  });

  it('a production key is told "past the per minute request limit"', async () => {
    const local = await startEmulator({ keys: { p: { callsPerMinute: 1, tokensPerMinute: 10_000 } } });
    try {
      const co = new CohereClientV2({ token: 'p', environment: local.url });
      await co.chat({ model: MODEL, messages: user('a') }, once);
      const err = await rejection(co.chat({ model: MODEL, messages: user('b') }, once));
      expect(err.body.message).toBe(
        'You are past the per minute request limit, please wait and try again later.',
      );
    } finally {
      await local.close();
    }
  });
});

describe('validation', () => {
  it('an input past the context → 400 "too many tokens"', async () => {
    const err = await rejection(v2.chat({ model: MODEL, messages: user('x'.repeat(520_000)) }, once));
    expect(err).toBeInstanceOf(Cohere.BadRequestError);
    expect(err.body.message).toMatch(/^too many tokens: size limit exceeded by 2000 tokens\./);
    expect(emu.stats().accepted).toBe(0);
  });

  it('max_tokens above 4096 → 400 with the catalogue message', async () => {
    const err = await rejection(v2.chat({ model: MODEL, messages: user('hi'), maxTokens: 8192 }, once));
    expect(err.body.message).toBe(
      'too many tokens: max tokens must be less than or equal to 4096, the maximum output for this model - received 8192.',
    );
  });

  it('an unknown path → 404 "404 page not found"', async () => {
    const res = await fetch(`${emu.url}/v3/nothing`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: '404 page not found' });
  });
});
