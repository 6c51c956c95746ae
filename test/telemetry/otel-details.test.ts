/**
 * steady/otel in detail, against the real SDK's in-memory exporters: span names and attributes
 * from what the caller passed (and nothing from what it got wrong), `error.type` and the status
 * message for each kind of error, token counts a reader gets wrong, and the wait and duration of a
 * call that does not start at clock 0.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { constant, createPolicy, type PolicyOptions } from '../../src/index.js';
import { instrument } from '../../src/telemetry/otel/index.js';
import { testClock } from '../../src/testing.js';
import { instantClock } from '../helpers/doubles.js';
import { histogram, meterReader, type Otel, setupOtel, tree } from './otel-setup.js';

let otel: Otel;
beforeAll(() => {
  otel = setupOtel();
});
afterAll(() => otel.shutdown());
afterEach(() => otel.reset());

/** A policy of one attempt (unless `retry` says), no breaker, instrumented; its metrics on demand. */
function instrumented(options: PolicyOptions = {}) {
  const policy = createPolicy({
    clock: instantClock(),
    breaker: false,
    retry: { maxAttempts: 1 },
    ...options,
  });
  const { meterProvider, metrics } = meterReader();
  instrument(policy, { tracerProvider: otel.tracerProvider, meterProvider });
  return { policy, metrics };
}

/** The one attempt span's error.type and status message, for a call whose fn throws `error`. */
async function attemptOf(error: unknown) {
  otel.reset();
  const { policy } = instrumented();
  await expect(policy.run(() => Promise.reject(error))).rejects.toBeDefined();
  const attempt = otel.spans().find((s) => s.name === 'steady.attempt')!;
  return { type: attempt.attributes['error.type'], message: attempt.status.message };
}

describe('instrument(): details', () => {
  it('names the call from a string endpoint and model only; a wrong type is left out', async () => {
    const { policy, metrics } = instrumented({ tokenUsage: () => ({}) });
    await policy.run(() => 'ok', { endpoint: 42, model: 7, tokens: '12' } as never);
    await policy.run(() => 'ok', { endpoint: 'chat', model: '' });
    await policy.run(() => 'ok', { endpoint: 'rerank', model: 'rerank-v3.5', tokens: 30 });
    const calls = tree(otel.spans()).map((c) => [c.name, c.attributes]);
    const ok = { 'steady.attempts': 1, 'steady.verdict': 'ok' };
    expect(calls).toEqual([
      ['steady.call', ok],
      ['chat', { 'gen_ai.operation.name': 'chat', ...ok }],
      [
        'rerank rerank-v3.5',
        {
          'gen_ai.operation.name': 'rerank',
          'gen_ai.request.model': 'rerank-v3.5',
          'steady.tokens.estimate': 30,
          ...ok,
        },
      ],
    ]);
    // The metric points carry no key for what is unknown (an exporter would send it).
    const durations = (await metrics()).get('gen_ai.client.operation.duration')!.dataPoints;
    expect(durations.map((p) => p.attributes)).toStrictEqual([
      {},
      { 'gen_ai.operation.name': 'chat' },
      { 'gen_ai.operation.name': 'rerank', 'gen_ai.request.model': 'rerank-v3.5' },
    ]);
  });

  it('error.type: the status, else a non-empty string code, else a name other than Error, else _OTHER; at most 64 characters', async () => {
    expect((await attemptOf({ status: 400 })).type).toBe('400');
    expect((await attemptOf(Object.assign(new Error('boom'), { code: '' }))).type).toBe('_OTHER');
    expect((await attemptOf(Object.assign(new TypeError('boom'), { code: '' }))).type).toBe('TypeError');
    expect((await attemptOf({ code: 'E'.repeat(100) })).type).toBe('E'.repeat(64));
    expect((await attemptOf({ name: 'N'.repeat(100) })).type).toBe('N'.repeat(64));
  });

  it('the status message: the error’s message (at most 500 characters), a thrown string, else the verdict', async () => {
    expect((await attemptOf({ status: 400, message: 'bad model' })).message).toBe('bad model');
    expect((await attemptOf({ status: 400, message: 'm'.repeat(600) })).message).toBe('m'.repeat(500));
    expect((await attemptOf('upstream said no')).message).toBe('upstream said no');
    expect((await attemptOf({ status: 400, message: '' })).message).toBe('invalid-request (HTTP 400)');
    const long = (await attemptOf({ status: 400, body: { message: 'b'.repeat(600) } })).message!;
    expect(long).toBe(`invalid-request (HTTP 400): ${'b'.repeat(500 - 28)}`);
  });

  it('an attempt cut short by the caller: ended, fail, no reason; the call says what it got', async () => {
    const { policy } = instrumented({ retry: {} });
    const c = new AbortController();
    const reason = { name: 'ShutdownError' };
    const run = policy.run(
      () => {
        c.abort(reason);
        return Promise.reject({ status: 503 });
      },
      { signal: c.signal },
    );
    await expect(run).rejects.toBe(reason);
    expect(tree(otel.spans())).toEqual([
      {
        name: 'steady.call',
        attributes: { 'steady.attempts': 1, 'steady.verdict': 'fail', 'error.type': 'ShutdownError' },
        status: { code: SpanStatusCode.ERROR, message: 'ShutdownError' },
        children: [
          {
            name: 'steady.attempt',
            // The attempt ends with the abort: its error is the caller's reason, never classified.
            attributes: { 'steady.attempt': 1, 'steady.verdict': 'fail', 'error.type': 'ShutdownError' },
            status: { code: SpanStatusCode.ERROR, message: 'ShutdownError' },
            children: [],
          },
        ],
      },
    ]);
  });

  it('a call retried then refused: its wait on the call span, no 429 counted for a 503', async () => {
    const { policy, metrics } = instrumented({ retry: { maxAttempts: 3, backoff: constant(100) } });
    let n = 0;
    const run = policy.run(() => Promise.reject(++n === 1 ? { status: 503 } : { status: 400 }));
    await expect(run).rejects.toMatchObject({ code: 'ERR_FATAL' });
    const [call] = tree(otel.spans());
    expect(call!.attributes).toEqual({
      'steady.attempts': 2,
      'steady.verdict': 'fail',
      'steady.retry.wait_ms': 100,
      'steady.reason': 'invalid-request',
      'error.type': 'ERR_FATAL',
    });
    expect(call!.children.map((a) => a.attributes['steady.verdict'])).toEqual(['retry', 'fail']);
    const m = await metrics();
    expect(m.get('steady.rate_limited')?.dataPoints ?? []).toEqual([]);
    expect(m.get('steady.retries')!.dataPoints.map((p) => p.value)).toEqual([1]);
  });

  it('a rule’s fail verdict with a hint: the attempt shows no retry hint, nothing was retried', async () => {
    const { policy } = instrumented({
      rules: [() => ({ action: 'fail', reason: 'forbidden', retryAfterMs: 60_000 }) as never],
    });
    await expect(policy.run(() => Promise.reject({ status: 403 }))).rejects.toThrow();
    expect(tree(otel.spans())[0]!.children[0]!.attributes).toEqual({
      'steady.attempt': 1,
      'steady.verdict': 'fail',
      'steady.reason': 'forbidden',
      'error.type': '403',
    });
  });

  it('records only token counts that are numbers >= 0 and finite; a reader that throws records none', async () => {
    const usage = [
      { input: -1, output: Number.POSITIVE_INFINITY },
      { input: 0, output: Number.NaN },
    ];
    const { policy, metrics } = instrumented({
      tokenUsage: () => {
        const u = usage.shift();
        if (!u) throw new Error('no usage');
        return u;
      },
    });
    for (let i = 0; i < 3; i++) await expect(policy.run(() => i)).resolves.toBe(i);
    expect(tree(otel.spans()).map((c) => c.attributes['gen_ai.usage.input_tokens'] ?? null)).toEqual([
      null,
      0,
      null,
    ]);
    const points = (await metrics()).get('gen_ai.client.token.usage')!.dataPoints;
    expect(points.map((p) => [p.attributes['gen_ai.token.type'], histogram(p as never)!.sum])).toEqual([
      ['input', 0],
    ]);
  });

  it('measures the duration on the policy’s clock from the call’s start, wherever the clock is', async () => {
    const clock = testClock(1_700_000_000_000);
    const { policy, metrics } = instrumented({ clock, retry: { maxAttempts: 2, backoff: constant(250) } });
    let n = 0;
    const run = policy.run(() => (++n === 1 ? Promise.reject({ status: 503 }) : 'ok'));
    await clock.tickAsync(250);
    await expect(run).resolves.toBe('ok');
    const d = histogram((await metrics()).get('gen_ai.client.operation.duration')!.dataPoints[0] as never)!;
    expect(d).toMatchObject({ count: 1, sum: 0.25 });
  });

  it('telemetry that cannot start a span never fails the call', async () => {
    const throwing = (which: string) => ({
      getTracer: () => {
        const real = otel.tracerProvider.getTracer('steady');
        return {
          startSpan: (name: string, ...rest: never[]) => {
            if (name === which || which === '*') throw new Error('exporter down');
            return real.startSpan(name, ...rest);
          },
          startActiveSpan: real.startActiveSpan.bind(real),
        };
      },
    });
    for (const which of ['*', 'steady.attempt']) {
      const policy = createPolicy({ breaker: false });
      instrument(policy, { tracerProvider: throwing(which) as never });
      await expect(policy.run(() => 'still fine')).resolves.toBe('still fine');
    }
  });

  it('refuses wrong options, with the exact message', () => {
    const policy = createPolicy();
    expect(() => instrument(policy, 'x' as never)).toThrow(
      new TypeError("steady: instrument options must be an object, got 'x'"),
    );
    expect(() => instrument(policy, { tracerProvder: otel.tracerProvider } as never)).toThrow(
      new TypeError('steady: tracerProvder is not an option of instrument; did you mean tracerProvider?'),
    );
    expect(() => instrument(policy, { attributes: 'team' as never })).toThrow(
      new TypeError("steady: attributes must be an object of attributes, got 'team'"),
    );
    expect(() => instrument(policy, { attributes: { team: {} } as never })).toThrow(
      new TypeError('steady: attributes.team must be a string, number or boolean, got an object'),
    );
    using _ok = instrument(policy, { attributes: { team: 'search', shard: 3, canary: true } });
  });
});
