import { CohereClient, CohereClientV2 } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StreamEventError, StreamInterruptedError, wrapClient } from '../../src/adapters/sdk/index.js';
import { cohere, constant, createPolicy, RetriesExhaustedError } from '../../src/index.js';
import type { PolicyOptions } from '../../src/policy/options.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { recordingFetch, recordingLimiter } from './sdk-helpers.js';

const request = {
  model: 'command-a-03-2025',
  messages: [{ role: 'user' as const, content: 'tell me a story' }],
  maxTokens: 6,
};
const CLEAN = [
  'message-start',
  'content-start',
  ...Array(6).fill('content-delta'),
  'content-end',
  'message-end',
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ keys: { 'test-key': 'production' } });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

function setup(extra: PolicyOptions = {}) {
  const rec = recordingLimiter();
  const net = recordingFetch();
  const attempts: number[] = [];
  const retries: string[] = [];
  const policy = createPolicy({
    ...cohere(),
    limiter: rec.limiter,
    retry: { backoff: constant(0) },
    on: { attempt: (e) => attempts.push(e.attempt), retry: (e) => retries.push(e.verdict.reason) },
    ...extra,
  });
  const options = { token: 'test-key', environment: emu.url, fetch: net.fetch };
  return {
    co: wrapClient(new CohereClientV2(options), policy),
    v1: wrapClient(new CohereClient(options), policy),
    rec,
    net,
    attempts,
    retries,
  };
}

async function drain(stream: AsyncIterable<any>) {
  const events: any[] = [];
  let error: any;
  try {
    for await (const e of stream) events.push(e);
  } catch (e) {
    error = e;
  }
  return { types: events.map((e) => e.type ?? e.eventType), events, error };
}

const text = (events: any[]) =>
  events
    .filter((e) => e.type === 'content-delta')
    .map((e) => e.delta.message.content.text)
    .join('');

describe('steady/sdk streams (CohereClientV2.chatStream)', () => {
  it('a clean stream: one sequence, reservation committed with the message-end usage', async () => {
    const { co, rec } = setup();
    const { types, events, error } = await drain(await co.chatStream(request));
    expect(error).toBeUndefined();
    expect(types).toEqual(CLEAN);
    const usage = events.at(-1).delta.usage.billedUnits;
    expect(rec.reservations).toHaveLength(1);
    expect(rec.reservations[0]).toMatchObject({
      how: 'commit',
      usage: { tokens: usage.inputTokens + usage.outputTokens },
    });
    expect(rec.reservations[0]!.cost).toEqual({ calls: 1, tokens: 4 + 6 });
  });

  it('failures before the first event (503 on open, a reset, an error event after the start events) are retried transparently', async () => {
    const { co, rec, attempts, retries } = setup();
    emu.inject({ status: 503 }, 'reset', { streamFailAfter: 0 });
    const { types, events, error } = await drain(await co.chatStream(request));
    expect(error).toBeUndefined();
    expect(types).toEqual(CLEAN); // one message-start: the failed attempts' events never reached the consumer
    expect(text(events).split(' ')).toHaveLength(6);
    expect(emu.stats()).toMatchObject({ requests: 4, byPath: { '/v2/chat': 4 } });
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(retries).toEqual(['server-error', 'network', 'stream-error']);
    // The 503 and the error event were answers (tokens back); the reset may have been billed (estimate kept).
    expect(rec.reservations.map((r) => r.how)).toEqual(['refund', 'commit', 'refund', 'commit']);
    expect(rec.errors).toEqual([]);
  });

  it('a stream failing after 3 deltas: exactly 3 deltas, then StreamInterruptedError; never retried', async () => {
    const { co, rec, attempts } = setup();
    emu.inject({ streamFailAfter: 3 });
    const { types, events, error } = await drain(await co.chatStream(request));
    expect(types).toEqual([
      'message-start',
      'content-start',
      'content-delta',
      'content-delta',
      'content-delta',
    ]);
    expect(text(events).split(' ')).toHaveLength(3);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({
      name: 'StreamInterruptedError',
      code: 'ERR_STREAM_INTERRUPTED',
      chunksDelivered: 5,
    });
    expect(error.cause).toBeInstanceOf(StreamEventError);
    expect(error.cause.message).toMatch(/^streaming error - /);
    expect(error.verdict).toMatchObject({ action: 'retry', reason: 'stream-error' });
    expect(emu.stats().requests).toBe(1);
    expect(attempts).toEqual([1]);
    // No usage report: committed with the estimate (the server accepted the request).
    expect(rec.reservations).toEqual([{ cost: { calls: 1, tokens: 10 }, how: 'commit', usage: undefined }]);
  });

  it("a dropped socket mid-stream: StreamInterruptedError whose cause is undici's 'terminated'", async () => {
    const { co } = setup();
    emu.inject({ streamFailAfter: 2, mode: 'destroy' });
    const { types, error } = await drain(await co.chatStream(request));
    expect(types).toEqual(['message-start', 'content-start', 'content-delta', 'content-delta']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.chunksDelivered).toBe(4);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.cause.message).toBe('terminated');
    expect(error.verdict).toMatchObject({ action: 'retry', reason: 'network' });
    expect(emu.stats().requests).toBe(1);
  });

  it('a stream ending without message-end: StreamInterruptedError', async () => {
    const { co, rec } = setup();
    emu.inject({ streamEndEarly: 2 });
    const { types, error } = await drain(await co.chatStream(request));
    expect(types).toEqual(['message-start', 'content-start', 'content-delta', 'content-delta']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.cause).toBeUndefined();
    expect(error.verdict).toMatchObject({ action: 'retry', reason: 'stream-error' });
    expect(rec.reservations.map((r) => r.how)).toEqual(['commit']);
  });

  it('the consumer breaking out early aborts the request and settles the reservation once', async () => {
    const { co, rec, net } = setup();
    const stream = await co.chatStream(request);
    const seen: string[] = [];
    for await (const e of stream) {
      seen.push(e.type);
      if (e.type === 'content-delta') break;
    }
    expect(seen).toEqual(['message-start', 'content-start', 'content-delta']);
    expect(net.signals).toHaveLength(1);
    expect(net.signals[0]!.aborted).toBe(true);
    expect(rec.reservations).toEqual([{ cost: { calls: 1, tokens: 10 }, how: 'commit', usage: undefined }]);
    expect(rec.errors).toEqual([]);
  });

  it("the caller's abortSignal aborts the stream mid-way with its reason", async () => {
    const { co, rec } = setup();
    const ac = new AbortController();
    const stream = await co.chatStream(request, { abortSignal: ac.signal });
    const seen: string[] = [];
    const stop = new Error('stop');
    let error: unknown;
    try {
      for await (const e of stream) {
        seen.push(e.type);
        if (e.type === 'content-delta') ac.abort(stop);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBe(stop);
    expect(seen).toEqual(['message-start', 'content-start', 'content-delta']);
    expect(rec.reservations.map((r) => r.how)).toEqual(['commit']);
  });

  it("the caller's abort before iterating: the first next() rejects with its reason, the request is aborted", async () => {
    const { co, rec, net } = setup();
    const ac = new AbortController();
    const stream = await co.chatStream(request, { abortSignal: ac.signal });
    const stop = new Error('stop');
    ac.abort(stop);
    const { types, error } = await drain(stream);
    expect(error).toBe(stop);
    expect(types).toEqual([]);
    expect(net.signals[0]!.aborted).toBe(true);
    expect(rec.reservations.map((r) => r.how)).toEqual(['commit']);
  });

  it('return() before the first next(): the request is aborted and the reservation settled once', async () => {
    const { co, rec, net } = setup();
    const stream = await co.chatStream(request);
    expect(rec.open()).toBe(1);
    expect(await stream[Symbol.asyncIterator]().return!()).toEqual({ done: true, value: undefined });
    expect(net.signals).toHaveLength(1);
    expect(net.signals[0]!.aborted).toBe(true);
    expect(rec.reservations).toEqual([{ cost: { calls: 1, tokens: 10 }, how: 'commit', usage: undefined }]);
    expect((await drain(stream)).types).toEqual([]);
    expect(rec.errors).toEqual([]);
  });

  it("the caller's abort before iterating, the stream never read: the request is aborted and the reservation settled", async () => {
    const { co, rec, net } = setup();
    const ac = new AbortController();
    const stream = await co.chatStream(request, { abortSignal: ac.signal });
    expect(rec.open()).toBe(1);
    const stop = new Error('stop');
    ac.abort(stop);
    expect(net.signals[0]!.aborted).toBe(true);
    expect(rec.reservations).toEqual([{ cost: { calls: 1, tokens: 10 }, how: 'commit', usage: undefined }]);
    expect((await drain(stream)).error).toBe(stop);
    expect(rec.errors).toEqual([]);
  });

  it('keeps failing before the first event → RetriesExhaustedError, every reservation refunded', async () => {
    const { co, rec } = setup({ retry: { backoff: constant(0), maxAttempts: 2 } });
    emu.inject({ streamFailAfter: 0 }, { streamEndEarly: 0 });
    const err = await co.chatStream(request).catch((e: any) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.cause).toBeInstanceOf(StreamEventError);
    expect(emu.stats().requests).toBe(2);
    expect(rec.reservations.map((r) => r.how)).toEqual(['refund', 'refund']);
  });
});

describe('steady/sdk streams (v1 CohereClient.chatStream)', () => {
  it('stream-end with finish_reason ERROR as the first event after stream-start is retried; usage from stream-end', async () => {
    const { v1, rec, attempts } = setup();
    emu.inject({ streamFailAfter: 0 });
    const { types, events, error } = await drain(await v1.chatStream({ message: 'hello', maxTokens: 3 }));
    expect(error).toBeUndefined();
    expect(types).toEqual([
      'stream-start',
      'text-generation',
      'text-generation',
      'text-generation',
      'stream-end',
    ]);
    expect(attempts).toEqual([1, 2]);
    const units = events.at(-1).response.meta.billedUnits;
    expect(rec.reservations.at(-1)).toMatchObject({
      how: 'commit',
      usage: { tokens: units.inputTokens + units.outputTokens },
    });
  });

  it('a v1 stream failing mid-way: StreamInterruptedError after the delivered events', async () => {
    const { v1 } = setup();
    emu.inject({ streamFailAfter: 2 });
    const { types, error } = await drain(await v1.chatStream({ message: 'hello', maxTokens: 5 }));
    expect(types).toEqual(['stream-start', 'text-generation', 'text-generation']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.chunksDelivered).toBe(3);
    expect(emu.stats().requests).toBe(1);
  });
});

describe('steady/sdk streams of any client', () => {
  it('a generic async-iterable method: first-event failures retried, untyped events need no end marker', async () => {
    let calls = 0;
    const client = {
      async *ticksStream(n: number) {
        calls++;
        if (calls === 1) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
        for (let i = 0; i < n; i++) yield { i };
      },
    };
    const s = wrapClient(client, createPolicy({ retry: { backoff: constant(0) } }));
    const { events, error } = await drain(await s.ticksStream(3));
    expect(error).toBeUndefined();
    expect(events).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(calls).toBe(2);
  });
});
