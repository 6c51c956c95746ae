import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import { CohereClientV2, CohereError } from 'cohere-ai';
import got, { HTTPError } from 'got';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import { HttpError, steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import { wrapClient } from '../../src/adapters/sdk/index.js';
import {
  CircuitOpenError,
  constant,
  createPolicy,
  type FailEvent,
  FatalError,
  type Policy,
  type RetryEvent,
  rawCause,
  StreamInterruptedError,
} from '../../src/index.js';
import { instantClock } from '../helpers/doubles.js';
import { type ReplyFn, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

/** The key every client sends, and the server echoes back in its bodies and a cookie. */
const KEY = 'sk-live-3c9f1e2a7b6d4058a1e2';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** A reply that echoes the key: in its message, the request's credential headers, and a cookie it sets. */
const echo =
  (status: number, headers: Record<string, string> = {}): ReplyFn =>
  (req) => ({
    status,
    headers: { 'set-cookie': `session=${KEY}; HttpOnly`, ...headers },
    body: {
      message: `invalid api token ${KEY}`,
      authorization: req.headers.authorization ?? null,
      apiKey: req.headers['x-api-key'] ?? null,
      cookie: req.headers.cookie ?? null,
    },
  });

/** 429 (Retry-After: 0), 500, then 401: two retries, then a FatalError that opens the breaker. */
const script = () => server.reply(echo(429, { 'retry-after': '0' }), echo(500), echo(401));

/** The headers the HTTP clients send: the key three ways. */
const credentials = { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, cookie: `session=${KEY}` };

type Seen = { retry: RetryEvent[]; fail: FailEvent[]; breaker: unknown[] };

function setup(): { policy: Policy; seen: Seen } {
  const seen: Seen = { retry: [], fail: [], breaker: [] };
  const policy = createPolicy({
    clock: instantClock(),
    retry: { maxAttempts: 5, backoff: constant(0) },
    on: {
      retry: (e) => seen.retry.push(e),
      fail: (e) => seen.fail.push(e),
      breaker: (e) => seen.breaker.push(e),
    },
  });
  return { policy, seen };
}

/** Every way the value could be shown: JSON, `console.log` (inspect at any depth), message and stack. */
function shown(x: unknown): string {
  const parts = [JSON.stringify(x) ?? '', inspect(x, { depth: Number.POSITIVE_INFINITY })];
  if (x instanceof Error) parts.push(x.message, x.stack ?? '');
  return parts.join('\n');
}

/** Nothing steady emitted or threw shows the key; the raw error (the test's control) does. */
function expectNoKey(err: unknown, seen: Seen): void {
  expect(seen.retry.map((e) => e.verdict.status)).toEqual([429, 500]);
  expect(seen.fail).toHaveLength(1);
  expect(seen.fail[0]!.error).toBe(err);
  expect(err).toBeInstanceOf(FatalError);
  expect((err as FatalError).message).toBe('steady: unauthorized (HTTP 401): invalid api token [redacted]');
  expect((err as FatalError).verdict?.message).toBe('invalid api token [redacted]');
  expect(seen.breaker).toEqual([
    { state: 'open', verdict: expect.objectContaining({ message: 'invalid api token [redacted]' }) },
  ]);
  for (const x of [err, ...seen.retry, ...seen.fail, ...seen.breaker]) expect(shown(x)).not.toContain(KEY);
  // The control: the key really was in what the server sent back, so the checks above can fail.
  expect(shown(rawCause(err))).toContain(KEY);
  for (const e of seen.retry) expect(shown(rawCause(e))).toContain(KEY);
}

/** A second call is refused by the open breaker: its error shows the verdict, not the key. */
async function expectCircuitOpenWithoutKey(call: () => Promise<unknown>): Promise<void> {
  const err = await call().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CircuitOpenError);
  expect(shown(err)).not.toContain(KEY);
}

describe('no credential reaches what steady emits or throws', () => {
  it('got: events and errors are redacted; rawCause gives got’s HTTPError with its options', async () => {
    const { policy, seen } = setup();
    const api = got.extend({ prefixUrl: server.url, headers: credentials }, gotPolicy(policy));
    script();
    const err = await api.post('v2/chat', { json: { model: 'm' } }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expectNoKey(err, seen);

    const cause = (err as FatalError).cause as HTTPError;
    expect(cause).toBeInstanceOf(HTTPError);
    expect(cause.response.statusCode).toBe(401);
    expect(cause.options.headers.authorization).toBe('[redacted]');
    expect(cause.response.headers['set-cookie']).toBe('[redacted]');
    expect(JSON.parse(cause.response.body as string)).toEqual({
      message: 'invalid api token [redacted]',
      authorization: '[redacted]',
      apiKey: '[redacted]',
      cookie: '[redacted]',
    });
    const raw = rawCause(err) as HTTPError;
    expect(raw).toBeInstanceOf(HTTPError);
    expect(raw.response.statusCode).toBe(401);
    expect(raw.options.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(raw.response.body as string).message).toBe(`invalid api token ${KEY}`);
    expect((rawCause(seen.retry[0]) as HTTPError).response.statusCode).toBe(429);
    await expectCircuitOpenWithoutKey(() => api.get('v2/models'));
  });

  it('got streams: the error the stream is destroyed with is redacted', async () => {
    const { policy, seen } = setup();
    const api = got.extend({ prefixUrl: server.url, headers: credentials }, gotPolicy(policy));
    script();
    const stream = api.stream.post('v2/chat', { json: { model: 'm' } });
    const err = await new Promise((resolve) => {
      stream.on('error', resolve);
      stream.resume();
    });
    expectNoKey(err, seen);
    expect((rawCause(err) as HTTPError).response.statusCode).toBe(401);
  });

  it('axios: events and errors are redacted; err.cause.response.data is parsed; rawCause gives the AxiosError', async () => {
    const { policy, seen } = setup();
    const api = axios.create({ baseURL: server.url, headers: credentials });
    attachPolicy(api, policy);
    script();
    const err = await api.post('/v2/chat', { model: 'm' }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expectNoKey(err, seen);

    const cause = (err as FatalError).cause as AxiosError;
    expect(axios.isAxiosError(cause)).toBe(true);
    expect(cause).toBeInstanceOf(AxiosError);
    expect(cause.response?.status).toBe(401);
    expect(cause.response?.data).toEqual({
      message: 'invalid api token [redacted]',
      authorization: '[redacted]',
      apiKey: '[redacted]',
      cookie: '[redacted]',
    });
    expect(cause.config?.headers.authorization).toBe('[redacted]');
    const raw = rawCause(err) as AxiosError<{ message: string }>;
    expect(raw.config?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(raw.response?.data.message).toBe(`invalid api token ${KEY}`);
    await expectCircuitOpenWithoutKey(() => api.get('/v2/models'));
  });

  it('axios: a status validateStatus accepts is handed back whole (it is the caller’s own answer)', async () => {
    const { policy } = setup();
    const api = axios.create({ baseURL: server.url, headers: credentials, validateStatus: () => true });
    attachPolicy(api, policy);
    server.reply(echo(401));
    const res = await api.post('/v2/chat', { model: 'm' });
    expect(res.status).toBe(401);
    expect(res.data.message).toBe(`invalid api token ${KEY}`);
  });

  it('fetch: the request headers it was given are declared secrets; rawCause gives the HttpError with the Response', async () => {
    const { policy, seen } = setup();
    const f = steadyFetch(policy);
    script();
    const err = await f(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: credentials,
      body: JSON.stringify({ model: 'm' }),
    }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expectNoKey(err, seen);

    const cause = (err as FatalError).cause as HttpError;
    expect(cause).toBeInstanceOf(HttpError);
    expect(cause.status).toBe(401);
    expect(cause.headers.get('set-cookie')).toBe('[redacted]');
    expect(cause.response.status).toBe(401);
    expect(JSON.parse(cause.body).message).toBe('invalid api token [redacted]');
    const raw = rawCause(err) as HttpError;
    expect(raw).toBeInstanceOf(HttpError);
    expect(raw.response.status).toBe(401);
    expect(raw.response.bodyUsed).toBe(true);
    expect(JSON.parse(raw.body).message).toBe(`invalid api token ${KEY}`);
    await expectCircuitOpenWithoutKey(() => f(`${server.url}/v2/models`, { headers: credentials }));
  });

  it('fetch with a Request: its headers count too', async () => {
    const { policy, seen } = setup();
    const f = steadyFetch(policy);
    script();
    const request = new Request(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: credentials,
      body: '{}',
    });
    const err = await f(request).catch((e: unknown) => e);
    expectNoKey(err, seen);
  });

  it('cohere-ai SDK: the client’s token is a declared secret; rawCause gives the CohereError', async () => {
    const { policy, seen } = setup();
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: server.url }), policy);
    script();
    const err = await co
      .chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expectNoKey(err, seen);

    const cause = (err as FatalError).cause as CohereError;
    expect(cause).toBeInstanceOf(CohereError);
    expect(cause.statusCode).toBe(401);
    expect(cause.body).toMatchObject({
      message: 'invalid api token [redacted]',
      authorization: '[redacted]',
    });
    const raw = rawCause(err) as CohereError;
    expect(raw.statusCode).toBe(401);
    expect((raw.body as { message: string }).message).toBe(`invalid api token ${KEY}`);
    await expectCircuitOpenWithoutKey(() => co.models.list());
  });

  it('cohere-ai SDK stream: an in-band error after the first event that echoes the token', async () => {
    const { policy } = setup();
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: server.url }), policy);
    const sse = (data: { type: string; [k: string]: unknown }) =>
      `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    server.reply({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: [
        sse({ type: 'message-start', id: 'm1', delta: { message: { role: 'assistant' } } }),
        sse({ type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hel' } } } }),
        sse({ type: 'message-end', delta: { error: `invalid api token ${KEY}`, finish_reason: 'ERROR' } }),
      ].join(''),
    });
    const stream = await co.chatStream({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const types: string[] = [];
    const err = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(types).toEqual(['message-start', 'content-delta']);
    expect(err).toBeInstanceOf(StreamInterruptedError);
    expect((err as StreamInterruptedError).message).toBe(
      'steady: the stream broke after 2 events: streaming error - invalid api token [redacted]',
    );
    expect(shown(err)).not.toContain(KEY);
    expect((rawCause(err) as Error).message).toBe(`streaming error - invalid api token ${KEY}`);
  });

  it('fetch and the SDK: a key echoed in the message alone (no cookie, no header echo) is still scrubbed', async () => {
    // Nothing in these errors names the key as a credential: only the declared secrets can catch it.
    const bare: ReplyFn = () => ({ status: 401, body: { message: `invalid api token ${KEY}` } });
    const viaFetch = setup();
    server.reply(bare);
    const fetchErr = await steadyFetch(viaFetch.policy)(`${server.url}/v2/chat`, {
      headers: credentials,
    }).catch((e: unknown) => e);
    const viaSdk = setup();
    server.reply(bare);
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: server.url }), viaSdk.policy);
    const sdkErr = await co
      .chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    for (const [err, seen] of [
      [fetchErr, viaFetch.seen],
      [sdkErr, viaSdk.seen],
    ] as const) {
      expect((err as FatalError).message).toBe(
        'steady: unauthorized (HTTP 401): invalid api token [redacted]',
      );
      for (const x of [err, ...seen.fail, ...seen.breaker]) expect(shown(x)).not.toContain(KEY);
      expect(shown(rawCause(err))).toContain(KEY);
    }
  });
});
