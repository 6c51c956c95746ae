import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { constant } from '../../src/backoff/index.js';
import { RetriesExhaustedError } from '../../src/errors/retries-exhausted-error.js';
import { createPolicy } from '../../src/policy/policy.js';
import { openai } from '../../src/presets/openai/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

/*
 * Outer retries never multiply attempts: a client that retries on its own, over steady, sends
 * steady's maxAttempts requests in all, not maxAttempts × (its retries + 1).
 */
const MAX_ATTEMPTS = 4;
const TOO_MANY = {
  status: 429,
  body: {
    error: {
      message: 'Rate limit reached on requests per min (RPM)',
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
  },
};

let server: ScriptedServer;
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.close());

const policy = () =>
  createPolicy({ ...openai(), retry: { maxAttempts: MAX_ATTEMPTS, backoff: constant(1) } });

async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('the AI SDK over steadyFetch', () => {
  const model = (fetch: typeof globalThis.fetch) =>
    createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, fetch }).chat('gpt-4o');

  it('always 429, the AI SDK’s default maxRetries (2): maxAttempts requests, steady’s error', async () => {
    server.reply(...Array.from({ length: 20 }, () => TOO_MANY));
    const err = await rejection(generateText({ model: model(steadyFetch(policy())), prompt: 'hi' }));
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err).toMatchObject({ isRetryable: false, attempts: MAX_ATTEMPTS });
  });

  it('connection dropped every time, with maxRetries: 0: maxAttempts requests', async () => {
    // Without maxRetries: 0 the AI SDK re-wraps this one (it finds ECONNRESET down the cause
    // chain) as a retryable APICallError: see the README's Gotcha.
    server.reply(...Array.from({ length: 20 }, () => 'reset' as const));
    const err = await rejection(
      generateText({ model: model(steadyFetch(policy())), prompt: 'hi', maxRetries: 0 }),
    );
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(err).toMatchObject({ name: 'AI_APICallError', cause: { name: 'RetriesExhaustedError' } });
  });
});

describe('ky over steadyFetch', () => {
  it('with retry: 0 (as steady’s examples set it), an always-429 GET is maxAttempts requests', async () => {
    server.reply(...Array.from({ length: 20 }, () => TOO_MANY));
    const api = ky.create({ fetch: steadyFetch(policy()), retry: 0 });
    const err = await rejection(api.get(`${server.url}/v1/models`).json());
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
  });
});
