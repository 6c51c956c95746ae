import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { CohereClientV2 } from 'cohere-ai';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { toOutcome } from '../../src/classify/extract.js';
import { cohere } from '../../src/presets/cohere/index.js';

/*
 * The real clients against a local server: the errors they really throw, not hand-made copies.
 * `/429…` answers a Cohere-style token 429 with Retry-After; `/text…` a plain-text 400.
 */
const TOKENS_429 = 'trial token rate limit exceeded, limit is 100000 tokens per minute';
const TEXT_400 = 'too many tokens: size limit exceeded by 280 tokens.';
const rules = cohere().classifier;

let server: Server;
let base: string;
let closedBase: string;

async function listen(s: Server): Promise<string> {
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/hang')) return; // never answers
    if (req.url?.startsWith('/text')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(TEXT_400);
      return;
    }
    res
      .writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' })
      .end(JSON.stringify({ message: TOKENS_429 }));
  });
  base = await listen(server);
  const closed = createServer();
  closedBase = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('real client errors', () => {
  it('fetch: a 429 Response (status and headers)', async () => {
    const res = await fetch(`${base}/429`);
    expect(classify(res, rules)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      retryAfterMs: 2_000,
    });
    await res.arrayBuffer();
  });

  it('fetch: connection refused → network', async () => {
    const err = await rejection(fetch(`${closedBase}/`));
    expect(toOutcome(err).code).toBe('ECONNREFUSED');
    expect(classify(err, rules)).toMatchObject({ action: 'retry', reason: 'network' });
  });

  it("got: HTTPError with the body's message", async () => {
    const err = await rejection(got.post(`${base}/429`, { retry: { limit: 0 } }));
    expect(classify(err, rules)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
      retryAfterMs: 2_000,
      status: 429,
      message: TOKENS_429,
    });
    const text = await rejection(got.post(`${base}/text`, { retry: { limit: 0 } }));
    expect(classify(text, rules)).toMatchObject({
      action: 'fail',
      reason: 'too-many-tokens',
      message: TEXT_400,
    });
  });

  it('got: connection refused → network', async () => {
    const err = await rejection(got(`${closedBase}/`, { retry: { limit: 0 } }));
    expect(classify(err, rules)).toMatchObject({ action: 'retry', reason: 'network' });
  });

  it("axios: AxiosError with the body's message", async () => {
    const err = await rejection(axios.post(`${base}/429`, {}));
    expect(classify(err, rules)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
      retryAfterMs: 2_000,
    });
    const text = await rejection(axios.post(`${base}/text`, {}));
    expect(classify(text, rules)).toMatchObject({ action: 'fail', reason: 'too-many-tokens' });
  });

  it('axios: connection refused and a cancelled request', async () => {
    const refused = await rejection(axios.get(`${closedBase}/`));
    expect(classify(refused, rules)).toMatchObject({ action: 'retry', reason: 'network' });
    const controller = new AbortController();
    controller.abort();
    const cancelled = await rejection(axios.get(`${base}/429`, { signal: controller.signal }));
    expect(classify(cancelled, rules)).toMatchObject({ action: 'fail', reason: 'aborted' });
  });

  it("cohere-ai: the SDK's TooManyRequestsError and a text 400", async () => {
    const client = new CohereClientV2({ token: 'test', environment: `${base}/429` });
    const err = await rejection(
      client.chat(
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] },
        { maxRetries: 0 },
      ),
    );
    expect(classify(err, rules)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      limit: 'tokens',
      retryAfterMs: 2_000,
    });
    const textClient = new CohereClientV2({ token: 'test', environment: `${base}/text` });
    const text = await rejection(
      textClient.chat(
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] },
        { maxRetries: 0 },
      ),
    );
    expect(classify(text, rules)).toMatchObject({ action: 'fail', reason: 'too-many-tokens', status: 400 });
  });

  it("cohere-ai: the caller's abort is an abort, not the SDK's made-up 499", async () => {
    const client = new CohereClientV2({ token: 'test', environment: `${base}/429` });
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(
      client.chat(
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] },
        { maxRetries: 0, abortSignal: controller.signal },
      ),
    );
    expect(classify(err, rules)).toMatchObject({ action: 'fail', reason: 'aborted' });
  });

  it('cohere-ai: connection refused → network', async () => {
    const client = new CohereClientV2({ token: 'test', environment: closedBase });
    const err = await rejection(
      client.chat(
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] },
        { maxRetries: 0 },
      ),
    );
    expect(classify(err, rules)).toMatchObject({ action: 'retry', reason: 'network' });
  });

  it("cohere-ai: the SDK's own timeoutInSeconds → timeout", async () => {
    const client = new CohereClientV2({ token: 'test', environment: `${base}/hang` });
    const err = await rejection(
      client.chat(
        { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] },
        { maxRetries: 0, timeoutInSeconds: 0.05 },
      ),
    );
    expect(classify(err, rules)).toMatchObject({ action: 'retry', reason: 'timeout' });
  });
});
