import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, steadyFetch } from '../../src/adapters/fetch/index.js';
import { cohere, constant, createPolicy, FatalError, RetriesExhaustedError } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const fast = { backoff: constant(1), maxRetryAfterMs: 60_000 };

describe('steady/fetch', () => {
  it('retries a 503 and a dropped connection, then returns the 200 response untouched', async () => {
    server.reply({ status: 503, body: { message: 'upstream unavailable' } }, 'reset');
    const retries: string[] = [];
    const policy = createPolicy({
      ...cohere(),
      retry: fast,
      on: { retry: (e) => retries.push(e.verdict.reason) },
    });
    const f = steadyFetch(policy);
    const res = await f(`${server.url}/v2/chat`, { method: 'POST', body: JSON.stringify({ message: 'hi' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, n: 3 });
    expect(retries).toEqual(['server-error', 'network']);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"message":"hi"}'));
  });

  it('throws FatalError carrying the response on a 400, without retrying', async () => {
    server.reply({
      status: 400,
      body: { message: 'invalid request: temperature must be between 0 and 1.0 inclusive.' },
    });
    const f = steadyFetch(createPolicy({ ...cohere(), retry: fast }));
    const err = await f(`${server.url}/v2/chat`, { method: 'POST', body: '{}' }).catch((e) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err.verdict).toMatchObject({ action: 'fail', reason: 'invalid-request', status: 400 });
    expect(err.cause).toBeInstanceOf(HttpError);
    expect(err.cause.response.status).toBe(400);
    expect(err.cause.body).toContain('temperature');
    expect(server.requests).toHaveLength(1);
  });

  it('reads the tokens-per-minute 429 message and its Retry-After', async () => {
    server.reply({
      status: 429,
      body: { message: 'trial token rate limit exceeded, limit is 100000 tokens per minute' },
      headers: { 'retry-after': '0' },
    });
    const seen: unknown[] = [];
    const policy = createPolicy({ ...cohere(), retry: fast, on: { retry: (e) => seen.push(e.verdict) } });
    const res = await steadyFetch(policy)(`${server.url}/v2/chat`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(true);
    expect(seen[0]).toMatchObject({ reason: 'rate-limited', limit: 'tokens', retryAfterMs: 0 });
  });

  it('gives up with RetriesExhaustedError after maxAttempts 503s', async () => {
    server.reply(...Array(3).fill({ status: 503, body: 'Service Unavailable' }));
    const f = steadyFetch(createPolicy({ retry: { ...fast, maxAttempts: 3 } }));
    const err = await f(`${server.url}/x`).catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.attempts).toBe(3);
    expect(err.cause.status).toBe(503);
    expect(server.requests).toHaveLength(3);
  });

  it("aborts an in-flight request with the caller's signal, rejecting with its reason", async () => {
    server.reply('hang');
    const f = steadyFetch(createPolicy({ retry: fast }));
    const ac = new AbortController();
    const done = f(`${server.url}/slow`, { signal: ac.signal }).catch((e) => e);
    setTimeout(() => ac.abort(new Error('stop')), 20);
    const err = await done;
    expect(err.message).toBe('stop');
    expect(server.requests).toHaveLength(1);
  });
});

describe('steady/fetch with a Request', () => {
  it("honours the Request's own signal", async () => {
    server.reply('hang');
    const f = steadyFetch(createPolicy({ retry: fast }));
    const ac = new AbortController();
    const done = f(new Request(`${server.url}/slow`, { signal: ac.signal })).catch((e) => e);
    setTimeout(() => ac.abort(new Error('request aborted')), 20);
    expect((await done).message).toBe('request aborted');
  });
});
