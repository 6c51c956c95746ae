import { type Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import got, { HTTPError } from 'got';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gotPolicy } from '../../src/adapters/got/index.js';
import {
  CircuitOpenError,
  cohere,
  constant,
  createPolicy,
  FatalError,
  RetriesExhaustedError,
} from '../../src/index.js';
import { instantClock, recordingLimiter } from '../helpers/doubles.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const retry = { backoff: constant(1), maxAttempts: 5 };
const policyWith = (extra: Parameters<typeof createPolicy>[0] = {}) =>
  createPolicy({ ...cohere(), clock: instantClock(), retry, ...extra });

describe('steady/got', () => {
  it('retries 503, 503 then returns the 200, with exactly 3 requests at the server (got retry off)', async () => {
    server.reply(
      { status: 503, body: { message: 'unavailable' } },
      { status: 503, body: { message: 'unavailable' } },
    );
    const reasons: string[] = [];
    const policy = policyWith();
    policy.on('retry', (e) => reasons.push(e.verdict.reason));
    const api = got.extend({ prefixUrl: server.url }, gotPolicy(policy));
    const body = await api.post('v2/chat', { json: { message: 'hi' } }).json<{ n: number }>();
    expect(body).toEqual({ ok: true, n: 3 });
    expect(reasons).toEqual(['server-error', 'server-error']);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"message":"hi"}'));
    expect(server.requests.map((r) => r.headers.accept)).toEqual(Array(3).fill('application/json'));
  });

  it('stops at maxAttempts with got retry switched off: 2 attempts, 2 requests', async () => {
    server.reply(
      { status: 503, body: { message: 'unavailable' } },
      { status: 503, body: { message: 'unavailable' } },
    );
    const api = got.extend(gotPolicy(policyWith({ retry: { ...retry, maxAttempts: 2 } })));
    // Even a per-call got retry must not come back: the policy is the only one retrying.
    const err = await api(`${server.url}/x`, { retry: { limit: 3 } }).catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.cause).toBeInstanceOf(HTTPError);
    expect(server.requests).toHaveLength(2);
  });

  it('fails a 400 at once with FatalError whose cause is the HTTPError', async () => {
    server.reply({
      status: 400,
      body: { message: 'invalid request: temperature must be between 0 and 1.0 inclusive.' },
    });
    const api = got.extend(gotPolicy(policyWith()));
    const err = await api.post(`${server.url}/v2/chat`, { json: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err.verdict).toMatchObject({ action: 'fail', reason: 'invalid-request', status: 400 });
    expect(err.cause).toBeInstanceOf(HTTPError);
    expect(err.cause.response.statusCode).toBe(400);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a dropped connection (ECONNRESET) as network', async () => {
    server.reply('reset');
    const reasons: string[] = [];
    const policy = policyWith({ on: { retry: (e) => reasons.push(e.verdict.reason) } });
    const res = await got.extend(gotPolicy(policy))(`${server.url}/x`);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ n: 2 });
    expect(reasons).toEqual(['network']);
  });

  it("classifies got's own request timeout as timeout and retries it", async () => {
    server.reply('hang');
    const seen: unknown[] = [];
    const policy = policyWith({ on: { retry: (e) => seen.push(e.verdict) } });
    const body = await got
      .extend(gotPolicy(policy))(`${server.url}/x`, { timeout: { request: 50 } })
      .json();
    expect(body).toMatchObject({ ok: true, n: 2 });
    expect(seen).toEqual([expect.objectContaining({ action: 'retry', reason: 'timeout' })]);
  });

  it("passes the policy's per-attempt signal to got: a timed-out attempt's request is destroyed", async () => {
    server.reply('hang');
    const requests: { destroyed: boolean }[] = [];
    const reasons: string[] = [];
    const policy = createPolicy({ retry: { backoff: constant(1), attemptTimeoutMs: 100 } });
    policy.on('retry', (e) => reasons.push(e.verdict.reason));
    const request = got.extend(gotPolicy(policy))(`${server.url}/x`);
    request.on('request', (r) => requests.push(r));
    expect((await request).statusCode).toBe(200);
    expect(reasons).toEqual(['timeout']);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.destroyed).toBe(true);
  });

  it("rejects with the caller's signal reason when aborted in flight, and sends nothing more", async () => {
    server.reply('hang');
    const ac = new AbortController();
    const api = got.extend(gotPolicy(policyWith()));
    const done = api(`${server.url}/slow`, { signal: ac.signal }).catch((e) => e);
    setTimeout(() => ac.abort(new Error('stop')), 30);
    const err = await done;
    expect(err.message).toBe('stop');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with the reason when aborted while waiting to retry', async () => {
    server.reply({ status: 503, body: {} });
    const ac = new AbortController();
    const policy = createPolicy({ clock: instantClock(), retry: { backoff: constant(60_000) } });
    policy.on('retry', () => ac.abort(new Error('gave up')));
    const err = await got
      .extend(gotPolicy(policy))(`${server.url}/x`, { signal: ac.signal })
      .catch((e) => e);
    expect(err.message).toBe('gave up');
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After: the next attempt starts 2 s later on the policy clock', async () => {
    server.reply({ status: 429, body: { message: 'too many requests' }, headers: { 'retry-after': '2' } });
    const delays: number[] = [];
    const starts: number[] = [];
    const policy = policyWith({
      on: { retry: (e) => delays.push(e.delayMs), attempt: (e) => starts.push(e.startedAt) },
    });
    const res = await got.extend(gotPolicy(policy))(`${server.url}/x`);
    expect(res.statusCode).toBe(200);
    expect(delays).toEqual([2000]);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(2000);
  });

  it('reserves the json body estimate on every attempt and reconciles with the reported usage', async () => {
    const usage = { billed_units: { input_tokens: 12, output_tokens: 30 } };
    server.reply({ status: 503, body: {} }, { status: 200, body: { message: { content: [] }, usage } });
    const { limiter, costs, settled } = recordingLimiter();
    const policy = policyWith({ limiter });
    const request = { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    const expected = policy.estimate(request);
    expect(expected).toBeGreaterThan(100);
    const body = await got
      .extend(gotPolicy(policy))
      .post(`${server.url}/v2/chat`, { json: request, responseType: 'json', resolveBodyOnly: true });
    expect(body).toMatchObject({ usage });
    expect(costs).toEqual([
      { calls: 1, tokens: expected },
      { calls: 1, tokens: expected },
    ]);
    expect(settled).toEqual(['refund', { tokens: 42 }]);
  });

  it('throwHttpErrors: false still retries, then returns the last response when the policy gives up', async () => {
    server.reply({ status: 503, body: { a: 1 } }, { status: 503, body: { a: 2 } });
    const api = got.extend(gotPolicy(policyWith({ retry: { ...retry, maxAttempts: 2 } })));
    const res = await api(`${server.url}/x`, { throwHttpErrors: false });
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ a: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('fails fast when the breaker is open, and a later abort of the signal is harmless', async () => {
    server.reply({ status: 401, body: { message: 'invalid api token' } });
    const api = got.extend(gotPolicy(policyWith()));
    expect(await api(`${server.url}/x`).catch((e) => e)).toBeInstanceOf(FatalError);
    const ac = new AbortController();
    const err = await api(`${server.url}/x`, { signal: ac.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    ac.abort(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
    expect(server.requests).toHaveLength(1);
  });

  it("leaves got's own error for invalid options, sending nothing", async () => {
    const api = got.extend(gotPolicy(policyWith()));
    const typo = await api(`${server.url}/x`, { jsno: {} } as never).catch((e) => e);
    expect(typo.message).toMatch(/Unexpected option: jsno/);
    const badType = await api(`${server.url}/x`, { timeout: 'soon' } as never).catch((e) => e);
    expect(badType.name).toBe('RequestError');
    expect(server.requests).toHaveLength(0);
  });

  it('.cancel() aborts the call', async () => {
    server.reply('hang');
    const request = got.extend(gotPolicy(policyWith()))(`${server.url}/x`);
    setTimeout(() => request.cancel(), 30);
    const err = await request.catch((e) => e);
    expect(err.name).toBe('CancelError');
    expect(server.requests).toHaveLength(1);
  });

  it('.on() listeners hear every attempt', async () => {
    server.reply({ status: 503, body: {} });
    const urls: string[] = [];
    const request = got.extend(gotPolicy(policyWith()))(`${server.url}/x`);
    request.on('request', () => urls.push('request'));
    await request;
    expect(urls).toEqual(['request', 'request']);
  });

  describe('got.stream', () => {
    const read = async (stream: NodeJS.ReadableStream) => {
      let text = '';
      for await (const chunk of stream) text += chunk;
      return text;
    };

    it('retries a 503 before the response head, then streams the 200 body', async () => {
      server.reply({ status: 503, body: {}, headers: { 'retry-after': '1' } });
      const delays: number[] = [];
      const { limiter, costs } = recordingLimiter();
      const policy = policyWith({ limiter, on: { retry: (e) => delays.push(e.delayMs) } });
      const stream = got
        .extend(gotPolicy(policy))
        .stream.post(`${server.url}/v2/chat`, { json: { message: 'hello' } });
      const statuses: number[] = [];
      stream.on('response', (r) => statuses.push(r.statusCode));
      expect(JSON.parse(await read(stream))).toEqual({ ok: true, n: 2 });
      expect(statuses).toEqual([200]);
      expect(delays).toEqual([1000]);
      expect(costs).toHaveLength(2);
      expect(costs[0]!.tokens).toBeGreaterThan(0);
      expect(server.requests.map((r) => r.body)).toEqual(Array(2).fill('{"message":"hello"}'));
    });

    it('destroys the stream with FatalError on a 400', async () => {
      server.reply({ status: 400, body: { message: 'invalid request: bad' } });
      const stream = got.extend(gotPolicy(policyWith())).stream(`${server.url}/x`);
      const err = await read(stream).catch((e) => e);
      expect(err).toBeInstanceOf(FatalError);
      expect(err.cause).toBeInstanceOf(HTTPError);
      expect(server.requests).toHaveLength(1);
    });

    it('sends a POST without a body and ends it', async () => {
      const stream = got.extend(gotPolicy(policyWith())).stream.post(`${server.url}/x`);
      expect(JSON.parse(await read(stream))).toMatchObject({ ok: true });
      expect(server.requests).toMatchObject([{ method: 'POST', body: '' }]);
    });

    describe('delivers every byte of a 100 kB body', () => {
      const big = 'x'.repeat(100_000);
      /** Counts what a consumer receives; `start` hooks it onto the stream. */
      const consume = (start: (stream: Readable, sink: Writable) => void) => {
        let bytes = 0;
        const sink = new Writable({
          write: (chunk: Buffer, _encoding, callback) => {
            bytes += chunk.length;
            callback();
          },
        });
        server.reply({ status: 200, body: big });
        const stream = got.extend(gotPolicy(policyWith())).stream(`${server.url}/big`) as unknown as Readable;
        start(stream, sink);
        return finished(stream).then(() => bytes);
      };

      it("to a consumer piping on 'response'", async () => {
        expect(await consume((s, sink) => s.on('response', () => s.pipe(sink)))).toBe(big.length);
      });

      it("to a consumer reading 'data' from 'response' on", async () => {
        expect(await consume((s, sink) => s.on('response', () => s.on('data', (c) => sink.write(c))))).toBe(
          big.length,
        );
      });

      it('to a consumer reading at once', async () => {
        expect(await consume((s, sink) => s.pipe(sink))).toBe(big.length);
      });
    });

    it("aborts with the caller's signal reason", async () => {
      server.reply('hang');
      const ac = new AbortController();
      const stream = got.extend(gotPolicy(policyWith())).stream(`${server.url}/x`, { signal: ac.signal });
      setTimeout(() => ac.abort(new Error('stop')), 30);
      const err = await read(stream).catch((e) => e);
      expect(err.message).toBe('stop');
    });
  });
});
