import { metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { cohere, constant, createPolicy, type Policy } from '../../src/index.js';
import { internalsOf } from '../../src/policy/around.js';
import { instrument } from '../../src/telemetry/otel/index.js';
import { testClock } from '../../src/testing.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { meterReader, type Otel, points, setupOtel, tree } from './otel-setup.js';

let otel: Otel;
let server: ScriptedServer;
beforeAll(async () => {
  otel = setupOtel();
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
  await otel.shutdown();
});
afterEach(() => otel.reset());

const MODEL = 'command-a-03-2025';
/** A Cohere v2 chat answer that bills fewer input tokens than it counts. */
const CHAT_OK = {
  status: 200,
  body: {
    message: { role: 'assistant', content: [{ type: 'text', text: 'Hi!' }] },
    usage: {
      billed_units: { input_tokens: 12, output_tokens: 30 },
      tokens: { input_tokens: 80, output_tokens: 30 },
    },
  },
};

/** A Cohere policy on a test clock that a `retry` listener moves on by each wait. */
function cohereOnTestClock(): Policy {
  const clock = testClock();
  const policy = createPolicy({ ...cohere(), clock, retry: { maxAttempts: 3, backoff: constant(0) } });
  policy.on('retry', (e) => void clock.tickAsync(e.delayMs));
  return policy;
}

describe('instrument(): spans', () => {
  it('gives one retried call (429, then 200) a call span with a child span per attempt', async () => {
    const policy = cohereOnTestClock();
    const handle = instrument(policy, { tracerProvider: otel.tracerProvider });
    // An HTTP instrumentation's span, started where fetch runs: it must nest under the attempt.
    const http = otel.tracerProvider.getTracer('http');
    const fetchImpl: typeof fetch = (input, init) =>
      http.startActiveSpan('POST', async (span) => {
        try {
          return await fetch(input, init);
        } finally {
          span.end();
        }
      });
    server.reply(
      { status: 429, headers: { 'retry-after': '1' }, body: { message: 'too many requests' } },
      CHAT_OK,
    );
    const res = await steadyFetch(policy, fetchImpl)(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 }),
    });
    expect(res.status).toBe(200);
    handle.uninstrument();

    const post = { name: 'POST', attributes: {}, status: { code: SpanStatusCode.UNSET }, children: [] };
    expect(tree(otel.spans())).toEqual([
      {
        name: 'steady.call',
        attributes: {
          'gen_ai.provider.name': 'cohere',
          'gen_ai.request.model': MODEL,
          // 'Hello' is 2 tokens at 4 characters a token, plus max_tokens 100.
          'steady.tokens.estimate': 102,
          'steady.attempts': 2,
          'steady.verdict': 'ok',
          'steady.retry.wait_ms': 1000,
          // billed_units, not tokens: the billable count.
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 30,
        },
        status: { code: SpanStatusCode.UNSET },
        children: [
          {
            name: 'steady.attempt',
            attributes: {
              'steady.attempt': 1,
              'steady.verdict': 'retry',
              'steady.reason': 'rate-limited',
              'error.type': '429',
              'steady.retry.delay_ms': 1000,
              'steady.retry.retry_after_ms': 1000,
            },
            status: { code: SpanStatusCode.ERROR, message: expect.stringContaining('429') },
            children: [post],
          },
          {
            name: 'steady.attempt',
            attributes: { 'steady.attempt': 2, 'http.request.resend_count': 1, 'steady.verdict': 'ok' },
            status: { code: SpanStatusCode.UNSET },
            children: [post],
          },
        ],
      },
    ]);
  });

  it('makes the attempt span the active one while fn runs, under the caller’s own span', async () => {
    const policy = createPolicy({ ...cohere(), breaker: false, retry: { backoff: constant(0) } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    const seen: (string | undefined)[] = [];
    const app = otel.tracerProvider.getTracer('app');
    await app.startActiveSpan('handle request', async (root) => {
      await policy.run(
        ({ attempt }) => {
          seen.push(trace.getActiveSpan()?.spanContext().spanId);
          if (attempt === 1) throw { status: 503 };
          return 'ok';
        },
        { endpoint: 'chat', model: MODEL },
      );
      root.end();
    });
    const spans = otel.spans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const [call] = byName(`chat ${MODEL}`);
    const attempts = byName('steady.attempt');
    expect(attempts.map((s) => s.spanContext().spanId)).toEqual(seen);
    expect(attempts.map((s) => s.parentSpanContext?.spanId)).toEqual([
      call!.spanContext().spanId,
      call!.spanContext().spanId,
    ]);
    expect(call!.parentSpanContext?.spanId).toBe(byName('handle request')[0]!.spanContext().spanId);
    expect(call!.attributes['gen_ai.operation.name']).toBe('chat');
    expect(call!.kind).toBe(SpanKind.CLIENT); // as the GenAI conventions ask
  });

  it('marks a failed call: span status error, error.type, the reason, the attempt that failed', async () => {
    const policy = createPolicy({ ...cohere(), breaker: false, retry: { maxAttempts: 1 } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    await expect(
      policy.run(() => Promise.reject({ status: 400, body: { message: 'bad model' } })),
    ).rejects.toThrow(/bad model/);
    expect(tree(otel.spans())).toEqual([
      {
        name: 'steady.call',
        attributes: {
          'gen_ai.provider.name': 'cohere',
          'steady.attempts': 1,
          'steady.verdict': 'fail',
          'steady.reason': 'invalid-request',
          'error.type': 'ERR_FATAL',
        },
        status: { code: SpanStatusCode.ERROR, message: expect.stringContaining('bad model') },
        children: [
          {
            name: 'steady.attempt',
            attributes: {
              'steady.attempt': 1,
              'steady.verdict': 'fail',
              'steady.reason': 'invalid-request',
              'error.type': '400',
            },
            status: { code: SpanStatusCode.ERROR, message: expect.any(String) },
            children: [],
          },
        ],
      },
    ]);
  });

  it('ends the call span of a call refused before any attempt (the breaker open)', async () => {
    const policy = createPolicy({ ...cohere(), retry: { maxAttempts: 1 } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    await expect(policy.run(() => Promise.reject({ status: 401 }))).rejects.toMatchObject({
      code: 'ERR_FATAL',
    });
    await expect(policy.run(() => 'never')).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
    const [, refused] = tree(otel.spans());
    expect(refused).toMatchObject({
      name: 'steady.call',
      attributes: { 'steady.attempts': 0, 'steady.verdict': 'fail', 'error.type': 'ERR_CIRCUIT_OPEN' },
      status: { code: SpanStatusCode.ERROR },
      children: [],
    });
  });

  it('ends the spans of a call the caller aborts while it waits to retry', async () => {
    const policy = createPolicy({ clock: testClock(), retry: { backoff: constant(5_000) } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    const controller = new AbortController();
    policy.on('retry', () => controller.abort());
    const run = policy.run(() => Promise.reject({ status: 503 }), { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tree(otel.spans())).toEqual([
      {
        name: 'steady.call',
        attributes: {
          'steady.attempts': 1,
          'steady.verdict': 'fail',
          'steady.retry.wait_ms': 5000,
          'steady.reason': 'server-error',
          'error.type': 'AbortError',
        },
        status: { code: SpanStatusCode.ERROR, message: expect.any(String) },
        children: [
          {
            name: 'steady.attempt',
            attributes: {
              'steady.attempt': 1,
              'steady.verdict': 'retry',
              'steady.reason': 'server-error',
              'error.type': '503',
              'steady.retry.delay_ms': 5000,
            },
            status: { code: SpanStatusCode.ERROR, message: 'server-error (HTTP 503)' },
            children: [],
          },
        ],
      },
    ]);
  });

  it('puts the limiter’s wait on the attempt that waited', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, limits: { calls: { limit: 1, windowMs: 1_000 } } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    await policy.run(() => 1);
    const second = policy.run(() => 2);
    // The call spent at 0 comes back one window later plus the safety margin (1 % of the window).
    await clock.tickAsync(1_010);
    await expect(second).resolves.toBe(2);
    const [, waited] = tree(otel.spans());
    expect(waited!.attributes).toMatchObject({ 'steady.throttle.wait_ms': 1010 });
    expect(waited!.children[0]!.attributes).toEqual({
      'steady.attempt': 1,
      'steady.throttle.dimension': 'calls',
      'steady.throttle.wait_ms': 1010,
      'steady.verdict': 'ok',
    });
  });

  it('keeps concurrent calls apart: each call span gets its own attempts, queued or not', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, limits: { calls: { limit: 2, windowMs: 1_000 } }, breaker: false });
    policy.on('retry', (e) => void clock.tickAsync(e.delayMs));
    instrument(policy, { tracerProvider: otel.tracerProvider });
    const runs = [1, 2, 3, 4].map((n) =>
      policy.run(({ attempt }) => (attempt < n ? Promise.reject({ status: 503 }) : n), {
        model: `m${n}`,
      }),
    );
    await clock.runAllAsync();
    await expect(Promise.all(runs)).resolves.toEqual([1, 2, 3, 4]);
    const calls = tree(otel.spans())
      .map((c) => [
        c.attributes['gen_ai.request.model'],
        c.children.map((a) => a.attributes['steady.verdict']),
      ])
      .sort();
    // Call n fails n - 1 times before it succeeds.
    expect(calls).toEqual([
      ['m1', ['ok']],
      ['m2', ['retry', 'ok']],
      ['m3', ['retry', 'retry', 'ok']],
      ['m4', ['retry', 'retry', 'retry', 'ok']],
    ]);
  });

  it('uninstrument() takes everything away: no span after it, no listener, no around', async () => {
    const policy = createPolicy(cohere());
    const p = internalsOf(policy)!;
    const handle = instrument(policy, { tracerProvider: otel.tracerProvider });
    expect(p.emitter.active).toBe(true);
    handle.uninstrument();
    handle.uninstrument(); // twice is harmless
    expect(p.around).toBeUndefined();
    expect(p.emitter.active).toBe(false);
    await expect(policy.run(() => 'ok')).resolves.toBe('ok');
    expect(otel.spans()).toEqual([]);
  });

  it('stacks: two instrumentations each see every call, and each can leave alone', async () => {
    const policy = createPolicy(cohere());
    const a = instrument(policy, { tracerProvider: otel.tracerProvider, attributes: { who: 'a' } });
    using _b = instrument(policy, { tracerProvider: otel.tracerProvider, attributes: { who: 'b' } });
    await policy.run(() => 1);
    a.uninstrument();
    await policy.run(() => 2);
    const calls = otel.spans().filter((s) => s.name === 'steady.call');
    expect(calls.map((s) => s.attributes.who)).toEqual(['b', 'a', 'b']);
  });

  it('uses the global providers when given none (as NodeSDK registers them)', async () => {
    const { meterProvider, metrics: collect } = meterReader();
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      const policy = createPolicy(cohere());
      using _otel = instrument(policy);
      await policy.run(() => 'ok', { endpoint: 'embed', model: 'embed-v4.0' });
      expect(otel.spans().map((s) => s.name)).toEqual(['steady.attempt', 'embeddings embed-v4.0']);
      expect(points((await collect()).get('steady.attempts'))).toEqual([
        [{ 'gen_ai.provider.name': 'cohere', 'steady.verdict': 'ok' }, 1],
      ]);
    } finally {
      trace.disable();
      metrics.disable();
    }
  });

  it('fails at once, naming what is wrong', () => {
    const policy = createPolicy();
    expect(() => instrument({} as Policy)).toThrow(
      'steady: instrument(policy) needs a policy from createPolicy()',
    );
    expect(() => instrument(policy, { tracerProvder: otel.tracerProvider } as never)).toThrow(
      /tracerProvder.*tracerProvider/,
    );
    expect(() => instrument(policy, { meterProvider: {} as never })).toThrow(/meterProvider/);
    expect(() => instrument(policy, { attributes: { team: {} } as never })).toThrow(/attributes\.team/);
  });
});
