import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohere, constant, createPolicy } from '../../src/index.js';
import { instrument } from '../../src/telemetry/otel/index.js';
import { testClock } from '../../src/testing.js';
import { histogram, meterReader, type Otel, points, setupOtel } from './otel-setup.js';

let otel: Otel;
beforeAll(() => {
  otel = setupOtel();
});
afterAll(() => otel.shutdown());

/** The GenAI conventions' explicit bucket boundaries, as they list them. */
const TOKEN_BOUNDARIES = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
const DURATION_BOUNDARIES = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

const MODEL = 'command-a-03-2025';
const common = { 'gen_ai.provider.name': 'cohere', team: 'search' };
const genai = { ...common, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': MODEL };

describe('instrument(): metrics', () => {
  it('records one retried call: tokens, duration, attempts, retries, the 429, the budget', async () => {
    const clock = testClock();
    const policy = createPolicy({ ...cohere(), clock, retry: { backoff: constant(0) } });
    const { meterProvider, metrics } = meterReader();
    const handle = instrument(policy, {
      tracerProvider: otel.tracerProvider,
      meterProvider,
      attributes: { team: 'search' },
    });
    const reply = {
      message: { content: [{ type: 'text', text: 'Hi' }] },
      usage: {
        billed_units: { input_tokens: 300, output_tokens: 20 },
        tokens: { input_tokens: 900, output_tokens: 20 },
      },
    };
    const done = policy.run(
      ({ attempt }) => {
        if (attempt === 1)
          throw { status: 429, headers: { 'retry-after': '2' }, body: { message: 'slow down' } };
        return reply;
      },
      { endpoint: 'chat', model: MODEL },
    );
    await clock.tickAsync(2_000); // the server's Retry-After: 2
    await expect(done).resolves.toBe(reply);

    const m = await metrics();
    const usage = m.get('gen_ai.client.token.usage')!;
    expect(usage.descriptor.unit).toBe('{token}');
    const byType = new Map(
      usage.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], p as DataPoint<unknown>]),
    );
    expect(usage.dataPoints.map((p) => p.attributes)).toEqual([
      { ...genai, 'gen_ai.token.type': 'input' },
      { ...genai, 'gen_ai.token.type': 'output' },
    ]);
    // 300 billed input tokens fall in (256, 1024], the 6th bucket; 20 output tokens in (16, 64], the 4th.
    const input = histogram(byType.get('input'))!;
    expect(input).toMatchObject({ count: 1, sum: 300, boundaries: TOKEN_BOUNDARIES });
    expect(input.counts.indexOf(1)).toBe(5);
    expect(histogram(byType.get('output'))).toMatchObject({ count: 1, sum: 20 });
    expect(histogram(byType.get('output'))!.counts.indexOf(1)).toBe(3);

    const duration = m.get('gen_ai.client.operation.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints.map((p) => p.attributes)).toEqual([genai]);
    // The whole call on the policy's clock: the 2 s wait, in (1.28, 2.56], the 9th bucket.
    const d = histogram(duration.dataPoints[0] as DataPoint<unknown>)!;
    expect(d).toMatchObject({ count: 1, sum: 2, boundaries: DURATION_BOUNDARIES });
    expect(d.counts.indexOf(1)).toBe(8);

    expect(points(m.get('steady.attempts'))).toEqual([
      [{ ...common, 'steady.verdict': 'retry' }, 1],
      [{ ...common, 'steady.verdict': 'ok' }, 1],
    ]);
    expect(points(m.get('steady.retries'))).toEqual([[{ ...common, 'steady.reason': 'rate-limited' }, 1]]);
    expect(points(m.get('steady.rate_limited'))).toEqual([[common, 1]]);
    // 500 tokens, 5 spent on the retry, 1 given back by the success.
    expect(points(m.get('steady.budget.tokens'))).toEqual([[common, 496]]);
    expect(points(m.get('steady.breaker.state'))).toEqual([
      [{ ...common, 'steady.breaker.state': 'closed' }, 1],
      [{ ...common, 'steady.breaker.state': 'half-open' }, 0],
      [{ ...common, 'steady.breaker.state': 'open' }, 0],
    ]);
    handle.uninstrument();
  });

  it('observes the queue and the limiter’s waits by dimension; a failed call’s duration has error.type', async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      limits: { calls: { limit: 1, windowMs: 1_000 } },
      retry: { maxAttempts: 1 },
      breaker: false,
    });
    const { meterProvider, metrics } = meterReader();
    const handle = instrument(policy, { meterProvider, tracerProvider: otel.tracerProvider });
    await policy.run(() => 'first');
    const queued = [policy.run(() => 'second'), policy.run(() => Promise.reject({ status: 503 }))];
    const settled = Promise.allSettled(queued);
    let m = await metrics();
    expect(points(m.get('steady.queue.length'))).toEqual([[{}, 2]]);
    await clock.runAllAsync();
    expect((await settled).map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    m = await metrics();
    expect(points(m.get('steady.queue.length'))).toEqual([[{}, 0]]);
    const waits = m.get('steady.throttle.duration')!;
    expect(waits.dataPoints.map((p) => p.attributes)).toEqual([{ 'steady.throttle.dimension': 'calls' }]);
    // A window plus its 1 % margin after each call before it: 1.01 s, then 2.02 s.
    const waited = histogram(waits.dataPoints[0] as DataPoint<unknown>)!;
    expect(waited.count).toBe(2);
    expect(waited.sum).toBeCloseTo(3.03, 9);
    const durations = m.get('gen_ai.client.operation.duration')!.dataPoints;
    expect(durations.map((p) => p.attributes)).toEqual([{}, { 'error.type': 'ERR_RETRIES_EXHAUSTED' }]);

    handle.uninstrument();
    // No callback left: two calls queue again (the window is still full), and the gauge, read no
    // more, still says 0.
    const more = Promise.all([policy.run(() => 4), policy.run(() => 5)]);
    m = await metrics();
    expect(points(m.get('steady.queue.length'))).toEqual([[{}, 0]]);
    await clock.runAllAsync();
    await expect(more).resolves.toEqual([4, 5]);
  });

  it('reports the breaker open after an account-wide failure', async () => {
    const policy = createPolicy({ ...cohere(), retry: { maxAttempts: 1 } });
    const { meterProvider, metrics } = meterReader();
    using _otel = instrument(policy, { meterProvider, tracerProvider: otel.tracerProvider });
    await expect(policy.run(() => Promise.reject({ status: 401 }))).rejects.toMatchObject({
      code: 'ERR_FATAL',
    });
    const states = points((await metrics()).get('steady.breaker.state'));
    expect(states).toEqual([
      [{ 'gen_ai.provider.name': 'cohere', 'steady.breaker.state': 'closed' }, 0],
      [{ 'gen_ai.provider.name': 'cohere', 'steady.breaker.state': 'half-open' }, 0],
      [{ 'gen_ai.provider.name': 'cohere', 'steady.breaker.state': 'open' }, 1],
    ]);
  });

  it('describes each instrument as the conventions and the README name it, and only those the policy has', async () => {
    const clock = testClock();
    const policy = createPolicy({
      ...cohere(),
      clock,
      limits: { calls: { limit: 1, windowMs: 1_000 } },
      retry: { backoff: constant(0) },
    });
    const { meterProvider, metrics } = meterReader();
    using _otel = instrument(policy, { meterProvider, tracerProvider: otel.tracerProvider });
    const reply = { usage: { billed_units: { input_tokens: 3, output_tokens: 4 } } };
    await policy.run(() => reply);
    let n = 0;
    const run = policy.run(() => (++n === 1 ? Promise.reject({ status: 429 }) : reply));
    await clock.runAllAsync();
    await expect(run).resolves.toBe(reply);
    const m = await metrics();
    expect(
      [...m.values()].map((d) => [d.descriptor.name, d.descriptor.unit, d.descriptor.description]),
    ).toEqual([
      ['gen_ai.client.token.usage', '{token}', 'Measures number of input and output tokens used'],
      [
        'gen_ai.client.operation.duration',
        's',
        'GenAI operation duration: the whole call, with its waits and retries',
      ],
      [
        'steady.attempts',
        '{attempt}',
        'Attempts made, by what steady decided about each (steady.verdict: ok, retry, fail)',
      ],
      ['steady.retries', '{retry}', 'Retries, by the reason of the attempt that failed (steady.reason)'],
      ['steady.rate_limited', '{response}', '429 responses received from the server'],
      [
        'steady.throttle.duration',
        's',
        "Waits for steady's own limiter before an attempt, by dimension (steady.throttle.dimension)",
      ],
      ['steady.queue.length', '{call}', "Calls waiting in steady's limiter"],
      [
        'steady.breaker.state',
        '1',
        'The circuit breaker: 1 for its current state (steady.breaker.state), 0 for the others',
      ],
      ['steady.budget.tokens', '{token}', 'Tokens left in the retry budget (budget.maxTokens when full)'],
    ]);
    const waits = histogram(m.get('steady.throttle.duration')!.dataPoints[0] as DataPoint<unknown>)!;
    expect(waits.boundaries).toEqual(DURATION_BOUNDARIES);

    // No limiter, breaker or budget: no gauge for them.
    const bare = createPolicy({ breaker: false, budget: false });
    const other = meterReader();
    using _bare = instrument(bare, {
      meterProvider: other.meterProvider,
      tracerProvider: otel.tracerProvider,
    });
    await bare.run(() => 3);
    expect([...(await other.metrics()).keys()]).toEqual([
      'gen_ai.client.operation.duration',
      'steady.attempts',
    ]);
  });
});
