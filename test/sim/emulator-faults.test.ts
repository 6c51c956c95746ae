/** Injected failures, as the real cohere-ai SDK surfaces them. */
import { Cohere, CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';

const once = { maxRetries: 0 } as const;
const request = {
  model: 'command-a-03-2025',
  messages: [{ role: 'user' as const, content: 'hi' }],
  maxTokens: 8,
};

let emu: Emulator;
let co: CohereClientV2;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 100 });
  co = new CohereClientV2({ token: 'test-key', environment: emu.url });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function collect(stream: AsyncIterable<Cohere.V2ChatStreamResponse>) {
  const events: Cohere.V2ChatStreamResponse[] = [];
  let error: any;
  try {
    for await (const e of stream) events.push(e);
  } catch (e) {
    error = e;
  }
  return { types: events.map((e) => e.type), events, error };
}

describe('status faults', () => {
  it('inject 503 → ServiceUnavailableError, statusCode 503, not charged', async () => {
    emu.inject({ status: 503 });
    const err = await rejection(co.chat(request, once));
    expect(err).toBeInstanceOf(Cohere.ServiceUnavailableError);
    expect(err).toBeInstanceOf(CohereError);
    expect(err.statusCode).toBe(503);
    expect(err.body).toEqual({ message: 'service unavailable' });
    expect(emu.stats()).toMatchObject({
      requests: 1,
      byStatus: { 503: 1 },
      byFault: { 503: 1 },
      accepted: 0,
    });
  });

  it('faults are consumed in order, one per request; then requests succeed', async () => {
    emu.inject({ status: 499 }, { status: 402 }, { status: 502 });
    const a = await rejection(co.chat(request, once));
    const b = await rejection(co.chat(request, once));
    const c = await rejection(co.chat(request, once));
    expect(a).toBeInstanceOf(Cohere.ClientClosedRequestError);
    expect(a.body.message).toBe('request cancelled');
    // 402 and 502 have no class of their own in the SDK: a plain CohereError with the status.
    expect([b.constructor.name, b.statusCode]).toEqual(['CohereError', 402]);
    expect(b.body.message).toMatch(/^Please add or update your payment method/);
    expect([c.constructor.name, c.statusCode]).toEqual(['CohereError', 502]);
    await expect(co.chat(request, once)).resolves.toMatchObject({ finishReason: 'MAX_TOKENS' });
    expect(emu.stats()).toMatchObject({ requests: 4, accepted: 1 });
  });

  it('an injected 429 carries its message and the Retry-After it is given', async () => {
    emu.inject({ status: 429, message: 'Please wait and try again later', retryAfterSeconds: 7 });
    const err = await rejection(co.chat(request, once));
    expect(err).toBeInstanceOf(Cohere.TooManyRequestsError);
    expect(err.body.message).toBe('Please wait and try again later');
    expect(err.rawResponse.headers.get('retry-after')).toBe('7');
    expect(emu.stats().rateLimited).toEqual({ calls: 0, tokens: 0 });
  });

  it("'reset' → CohereError without statusCode, message 'fetch failed', cause.cause.code ECONNRESET", async () => {
    emu.inject('reset');
    const err = await rejection(co.chat(request, once));
    expect(err).toBeInstanceOf(CohereError);
    expect(err.statusCode).toBeUndefined();
    expect(err.message).toBe('fetch failed');
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.cause.cause.code).toBe('ECONNRESET');
    expect(emu.stats()).toMatchObject({ requests: 1, byFault: { reset: 1 }, byStatus: {} });
  });

  it('{ delayMs } answers normally, later by delayMs / timeScale', async () => {
    emu.inject({ delayMs: 3_000 }); // 30 ms real at timeScale 100
    const started = performance.now();
    await co.chat(request, once);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(emu.stats()).toMatchObject({ accepted: 1, byFault: { delay: 1 } });
  });
});

describe('stream faults', () => {
  it("streamFailAfter (mode 'event'): n deltas, then message-end with delta.error and finish_reason ERROR", async () => {
    emu.inject({ streamFailAfter: 2 });
    const { types, events, error } = await collect(await co.chatStream(request, once));
    expect(error).toBeUndefined(); // the SDK yields the event: the caller must look at delta.error
    expect(types).toEqual([
      'message-start',
      'content-start',
      'content-delta',
      'content-delta',
      'message-end',
    ]);
    const end = events.at(-1) as Cohere.ChatMessageEndEvent;
    expect(end.delta?.finishReason).toBe('ERROR');
    expect(end.delta?.error).toMatch(/^streaming error - /);
    expect(emu.stats()).toMatchObject({ byStatus: { 200: 1 }, byFault: { streamFailAfter: 1 } });
  });

  it("streamFailAfter (mode 'destroy'): n deltas, then the iteration throws undici's TypeError 'terminated'", async () => {
    emu.inject({ streamFailAfter: 3, mode: 'destroy' });
    const { types, error } = await collect(await co.chatStream(request, once));
    expect(types).toEqual([
      'message-start',
      'content-start',
      'content-delta',
      'content-delta',
      'content-delta',
    ]);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(CohereError);
    expect(error.message).toBe('terminated');
    expect(error.cause.code).toBe('UND_ERR_SOCKET');
  });

  it('streamEndEarly: n deltas, then a clean end without message-end', async () => {
    emu.inject({ streamEndEarly: 1 });
    const { types, error } = await collect(await co.chatStream(request, once));
    expect(error).toBeUndefined();
    expect(types).toEqual(['message-start', 'content-start', 'content-delta']);
    expect(emu.stats().byFault).toEqual({ streamEndEarly: 1 });
  });

  it('a stream fault drawn by a non-stream request leaves it untouched', async () => {
    emu.inject({ streamEndEarly: 0 });
    await expect(co.chat(request, once)).resolves.toMatchObject({ finishReason: 'MAX_TOKENS' });
    expect(emu.stats().byFault).toEqual({});
  });
});

describe('random faults', () => {
  async function statuses(seed: number): Promise<number[]> {
    const local = await startEmulator({
      seed,
      faults: { rate: 0.5, kinds: [{ status: 500 }, { status: 503 }] },
    });
    try {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${local.url}/v2/chat`, {
          method: 'POST',
          headers: { authorization: 'Bearer test-key' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 1 }),
        });
        await res.arrayBuffer();
        out.push(res.status);
      }
      const s = local.stats();
      expect((s.byFault['500'] ?? 0) + (s.byFault['503'] ?? 0)).toBe(out.filter((x) => x !== 200).length);
      return out;
    } finally {
      await local.close();
    }
  }

  it('are drawn from a seeded PRNG: the same seed fails the same requests', async () => {
    const a = await statuses(7);
    expect(await statuses(7)).toEqual(a);
    expect(await statuses(8)).not.toEqual(a);
    const failed = a.filter((x) => x !== 200).length;
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(17);
  });
});

describe('close()', () => {
  it('ends open requests and pending timers at once', async () => {
    const local = await startEmulator({ latencyMs: 60_000 });
    const co2 = new CohereClientV2({ token: 'test-key', environment: local.url });
    const pending = rejection(co2.chat(request, once));
    while (local.stats().requests === 0) await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    await local.close();
    const err = await pending;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(CohereError);
    expect(err.statusCode).toBeUndefined();
  });
});
