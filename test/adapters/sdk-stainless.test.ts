/**
 * What openai's and @anthropic-ai/sdk's clients offer beyond a plain call, kept under wrapClient:
 * `APIPromise`'s `.withResponse()` / `.asResponse()`, the stream helpers, `parse()`, `withOptions()`,
 * paginated lists, synchronous methods; the caller's own client left as it was; no unhandled rejection.
 */
import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { profileOf, wrapClient } from '../../src/adapters/sdk/index.js';
import { constant } from '../../src/backoff/index.js';
import { FatalError } from '../../src/errors/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { openai } from '../../src/presets/openai/index.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { type ProviderServer, startProviderServer } from '../classify/provider-servers.js';
import { KEY } from './sdk-clients.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
let pages: ProviderServer;
beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  pages = await startProviderServer();
});
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onUnhandled);
  await pages.close();
  expect(unhandled).toEqual([]);
});

const retry = { maxAttempts: 4, backoff: constant(1) };
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hello there' }] };
const msg = { model: 'claude-test', max_tokens: 40, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('openai under wrapClient', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ provider: 'openai', keys: { [KEY]: 'production' } });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());
  const make = () => {
    const raw = new OpenAI({ apiKey: KEY, baseURL: `${emu.url}/v1`, maxRetries: 5 });
    return { raw, oa: wrapClient(raw, createPolicy({ ...openai(), retry })) };
  };

  it('is chosen the openai profile, is still an OpenAI, and leaves the caller’s client as it was', () => {
    const { raw, oa } = make();
    expect(profileOf(raw).name).toBe('openai');
    expect(oa).toBeInstanceOf(OpenAI);
    expect(oa).not.toBe(raw);
    expect(raw.maxRetries).toBe(5);
    expect(typeof oa.buildURL('/models', {})).toBe('string'); // a synchronous method, untouched
  });

  it('.withResponse() gives the data and the Response; .asResponse() a Response with its body unread', async () => {
    const { oa } = make();
    emu.inject({ status: 503 });
    const { data, response, request_id } = await oa.chat.completions.create(chat).withResponse();
    expect(data.object).toBe('chat.completion');
    expect(response.status).toBe(200);
    expect(request_id).toBeNull();
    const raw = await oa.chat.completions.create(chat).asResponse();
    expect(((await raw.json()) as { object: string }).object).toBe('chat.completion');
    expect(emu.stats().requests).toBe(3);
  });

  it('chat.completions.stream() and parse() work, retried like create()', async () => {
    const { oa } = make();
    emu.inject({ streamFailAfter: 0, mode: 'event' });
    const pieces: string[] = [];
    const stream = oa.chat.completions.stream(chat).on('content', (delta) => pieces.push(delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(pieces.join(''));
    expect(emu.stats().requests).toBe(2);
    const parsed = await oa.chat.completions.parse(chat);
    expect(parsed.choices[0]!.message.content).toEqual(expect.any(String));
  });

  it('withOptions() returns a wrapped client: its own maxRetries are overridden too', async () => {
    const { oa } = make();
    const other = oa.withOptions({ maxRetries: 7, timeout: 5_000 });
    expect(other).toBeInstanceOf(OpenAI);
    emu.inject(...Array.from({ length: 10 }, () => ({ status: 503 as const })));
    await expect(other.chat.completions.create(chat)).rejects.toMatchObject({ attempts: 4 });
    expect(emu.stats().requests).toBe(4);
  });

  it('a paginated list is for-await-able, and its next pages are retried too', async () => {
    const oa = wrapClient(
      new OpenAI({ apiKey: KEY, baseURL: `${pages.url}/pages`, maxRetries: 5 }),
      createPolicy({ ...openai(), retry }),
    );
    const before = pages.count('pages');
    const ids: string[] = [];
    for await (const batch of oa.batches.list({ limit: 2 })) ids.push(batch.id);
    expect(ids).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect(pages.count('pages') - before).toBe(5); // 3 pages, the first request of pages 2 and 3 a 503
  });

  it.each([
    [
      'openai',
      (url: string) =>
        wrapClient(
          new OpenAI({ apiKey: KEY, baseURL: url }),
          createPolicy({ ...openai(), retry: { ...retry, maxAttempts: 2 } }),
        ).chat.completions.create(chat, { timeout: 300 }),
    ],
    [
      'anthropic',
      (url: string) =>
        wrapClient(
          new Anthropic({ apiKey: KEY, baseURL: url }),
          createPolicy({ ...anthropic(), retry: { ...retry, maxAttempts: 2 } }),
        ).messages.create(msg, { timeout: 300 }),
    ],
    // 300 ms, not less: on a loaded machine a shorter timeout can fire before the request reaches the
    // server, and the count below would see one request for two attempts.
  ])("%s: the SDK's own timeout (APIConnectionTimeoutError) is a timeout, retried", async (_name, call) => {
    const before = pages.count('hang');
    const err = await call(`${pages.url}/hang`).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'RetriesExhaustedError',
      verdict: { action: 'retry', reason: 'timeout' },
    });
    expect(String((err as { cause?: unknown }).cause)).toMatch(/timed out/i);
    expect(pages.count('hang') - before).toBe(2);
  });

  it('keeps the API key out of its errors, even when the server echoes it', async () => {
    const apiKey = 'sk-very-secret-0123456789';
    const oa = wrapClient(
      new OpenAI({ apiKey, baseURL: `${pages.url}/echo-400`, maxRetries: 5 }),
      createPolicy({ ...openai(), retry }),
    );
    const err = await oa.chat.completions.create(chat).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(`${String(err)} ${JSON.stringify(err)} ${inspect(err, { depth: 6 })}`).not.toContain(apiKey);
  });

  it('leaves no unhandled rejection when only .withResponse() or .asResponse() is used on a failing call', async () => {
    const { oa } = make();
    emu.inject({ status: 400 }, { status: 400 });
    await expect(oa.chat.completions.create(chat).withResponse()).rejects.toBeInstanceOf(FatalError);
    await expect(oa.chat.completions.create(chat).asResponse()).rejects.toBeInstanceOf(FatalError);
  });
});

describe('@anthropic-ai/sdk under wrapClient', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ provider: 'anthropic', keys: { [KEY]: 'production' } });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());
  const make = () =>
    wrapClient(
      new Anthropic({ apiKey: KEY, baseURL: emu.url, maxRetries: 5 }),
      createPolicy({ ...anthropic(), retry }),
    );

  it('messages.stream(): an overloaded error before content is retried; the helper sees one whole message', async () => {
    const an = make();
    emu.inject({ streamFailAfter: 0, mode: 'event' });
    const texts: string[] = [];
    const stream = an.messages.stream(msg).on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    const block = final.content[0];
    expect(block?.type === 'text' ? block.text : '').toBe(texts.join(''));
    expect(emu.stats().requests).toBe(2);
  });

  it('messages.stream().abort() ends the stream and its request', async () => {
    const an = make();
    const stream = an.messages.stream(msg);
    await new Promise<void>((resolve) => stream.on('connect', () => resolve()));
    stream.abort();
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(emu.stats().requests).toBe(1);
  });

  it('.withResponse() keeps the response and its request id header', async () => {
    const an = make();
    const { data, response } = await an.messages.create(msg).withResponse();
    expect(data.type).toBe('message');
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toEqual(expect.any(String));
  });

  it('models.list() is for-await-able across pages', async () => {
    const an = wrapClient(
      new Anthropic({ apiKey: KEY, baseURL: `${pages.url}/pages`, maxRetries: 5 }),
      createPolicy({ ...anthropic(), retry }),
    );
    const ids: string[] = [];
    for await (const model of an.models.list({ limit: 2 })) ids.push(model.id);
    expect(ids).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
  });
});
