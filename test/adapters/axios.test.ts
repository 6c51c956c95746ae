import axios, { AxiosError, type AxiosInstance } from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import {
  CircuitOpenError,
  cohere,
  constant,
  createPolicy,
  FatalError,
  type Policy,
  RetriesExhaustedError,
} from '../../src/index.js';
import { instantClock, recordingLimiter } from '../helpers/doubles.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { until } from './sdk-helpers.js';

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
const client = (policy: Policy = policyWith()): AxiosInstance => {
  const instance = axios.create({ baseURL: server.url });
  attachPolicy(instance, policy);
  return instance;
};

describe('steady/axios', () => {
  it('retries 503, 503 then returns the 200, re-sending the same POST body: exactly 3 requests', async () => {
    server.reply(
      { status: 503, body: { message: 'unavailable' } },
      { status: 503, body: { message: 'unavailable' } },
    );
    const reasons: string[] = [];
    const api = client(policyWith({ on: { retry: (e) => reasons.push(e.verdict.reason) } }));
    const res = await api.post('/v2/chat', { message: 'hi' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, n: 3 });
    expect(reasons).toEqual(['server-error', 'server-error']);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"message":"hi"}'));
    expect(server.requests.map((r) => r.headers['content-type'])).toEqual(Array(3).fill('application/json'));
  });

  it('gives up after maxAttempts with RetriesExhaustedError, its cause the parsed AxiosError', async () => {
    server.reply({ status: 503, body: { message: 'one' } }, { status: 503, body: { message: 'two' } });
    const api = client(policyWith({ retry: { ...retry, maxAttempts: 2 } }));
    const err = await api.get('/x').catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.cause).toBeInstanceOf(AxiosError);
    expect(err.cause.response.status).toBe(503);
    expect(err.cause.response.data).toEqual({ message: 'two' });
    expect(server.requests).toHaveLength(2);
  });

  it('fails a 400 at once with FatalError whose cause is the AxiosError', async () => {
    server.reply({
      status: 400,
      body: { message: 'invalid request: temperature must be between 0 and 1.0 inclusive.' },
    });
    const err = await client()
      .post('/v2/chat', {})
      .catch((e) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err.verdict).toMatchObject({ action: 'fail', reason: 'invalid-request', status: 400 });
    expect(axios.isAxiosError(err.cause)).toBe(true);
    expect(err.cause.response.data.message).toContain('temperature');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a dropped connection (ECONNRESET) as network', async () => {
    server.reply('reset');
    const reasons: string[] = [];
    const res = await client(policyWith({ on: { retry: (e) => reasons.push(e.verdict.reason) } })).get('/x');
    expect(res.data).toMatchObject({ n: 2 });
    expect(reasons).toEqual(['network']);
  });

  it("classifies axios's own timeout (ECONNABORTED) as timeout and retries it", async () => {
    server.reply('hang');
    const seen: { verdict: unknown; error: unknown }[] = [];
    const api = client(policyWith({ on: { retry: (e) => seen.push(e) } }));
    // 300 ms, not less: the first request must reach the server before axios gives up on it
    const res = await api.get('/x', { timeout: 300 });
    expect(res.data).toMatchObject({ ok: true, n: 2 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.verdict).toMatchObject({ action: 'retry', reason: 'timeout' });
    expect(seen[0]!.error).toMatchObject({ code: 'ECONNABORTED' });
  });

  it("rejects with the caller's signal reason (not a CanceledError) when aborted in flight", async () => {
    server.reply('hang');
    const ac = new AbortController();
    const reason = new Error('stop');
    const done = client()
      .get('/slow', { signal: ac.signal })
      .catch((e) => e);
    await until(() => server.requests.length === 1); // in flight at the server, then aborted
    ac.abort(reason);
    const err = await done;
    expect(err).toBe(reason);
    expect(axios.isCancel(err)).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with the reason when aborted while waiting to retry', async () => {
    server.reply({ status: 503, body: {} });
    const ac = new AbortController();
    const policy = createPolicy({ clock: instantClock(), retry: { backoff: constant(60_000) } });
    policy.on('retry', () => ac.abort(new Error('gave up')));
    const err = await client(policy)
      .get('/x', { signal: ac.signal })
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
    expect((await client(policy).get('/x')).status).toBe(200);
    expect(delays).toEqual([2000]);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(2000);
  });

  it('reserves the estimate of config.data on every attempt and reconciles with response.data usage', async () => {
    const usage = { billed_units: { input_tokens: 12, output_tokens: 30 } };
    server.reply({ status: 503, body: {} }, { status: 200, body: { message: { content: [] }, usage } });
    const { limiter, costs, settled } = recordingLimiter();
    const policy = policyWith({ limiter });
    const request = { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    const expected = policy.estimate(request);
    expect(expected).toBeGreaterThan(100);
    const res = await client(policy).post('/v2/chat', request);
    expect(res.data).toMatchObject({ usage });
    expect(costs).toEqual([
      { calls: 1, tokens: expected },
      { calls: 1, tokens: expected },
    ]);
    expect(settled).toEqual(['refund', { tokens: 42 }]);
  });

  it('retries a 503 whatever validateStatus says, then returns the response it accepts', async () => {
    server.reply({ status: 503, body: { a: 1 } }, { status: 503, body: { a: 2 } });
    const api = client(policyWith({ retry: { ...retry, maxAttempts: 2 } }));
    const res = await api.get('/x', { validateStatus: () => true });
    expect(res.status).toBe(503);
    expect(res.data).toEqual({ a: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('fails fast with CircuitOpenError after a 401, sending nothing', async () => {
    server.reply({ status: 401, body: { message: 'invalid api token' } });
    const api = client();
    expect(await api.get('/x').catch((e) => e)).toBeInstanceOf(FatalError);
    expect(await api.get('/x').catch((e) => e)).toBeInstanceOf(CircuitOpenError);
    expect(server.requests).toHaveLength(1);
  });

  it('wraps a custom adapter and hands each attempt its own signal', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const api = client();
    const res = await api.get('/x', {
      adapter: async (config) => {
        signals.push(config.signal as AbortSignal);
        if (++calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return { data: 'done', status: 200, statusText: 'OK', headers: {}, config };
      },
    });
    expect(res.data).toBe('done');
    expect(signals).toHaveLength(2);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]).not.toBe(signals[1]);
  });

  it('does not wrap twice when a config is sent again', async () => {
    server.reply({ status: 400, body: { message: 'invalid request' } }, { status: 503, body: {} });
    let attempts = 0;
    const api = client(policyWith({ on: { attempt: () => attempts++ } }));
    const err = await api.get('/x').catch((e) => e);
    attempts = 0;
    const res = await api.request(err.cause.config);
    expect(res.status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('throws when attached twice, and detaches', async () => {
    const instance = axios.create({ baseURL: server.url });
    const detach = attachPolicy(instance, policyWith());
    expect(() => attachPolicy(instance, policyWith())).toThrow(/already has a policy/);
    detach();
    detach();
    server.reply({ status: 503, body: {} });
    const err = await instance.get('/x').catch((e) => e);
    expect(err).toBeInstanceOf(AxiosError);
    expect(server.requests).toHaveLength(1);
    const again = attachPolicy(instance, policyWith());
    expect((await instance.get('/x')).status).toBe(200);
    again();
  });

  it('rejects a bad instance or policy at once', () => {
    expect(() => attachPolicy({} as AxiosInstance, policyWith())).toThrow(TypeError);
    expect(() => attachPolicy(axios.create(), {} as Policy)).toThrow(/needs a policy/);
  });
});
