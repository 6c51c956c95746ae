import { CohereClient, CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../examples/cohere-sdk.js';
import { cohereArgs, wrapClient } from '../../src/adapters/sdk/index.js';
import {
  CircuitOpenError,
  cohere,
  constant,
  createPolicy,
  FatalError,
  RetriesExhaustedError,
} from '../../src/index.js';
import type { PolicyOptions } from '../../src/policy/options.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { recordingFetch, recordingLimiter } from './sdk-helpers.js';

const request = {
  model: 'command-a-03-2025',
  messages: [{ role: 'user' as const, content: 'hello there, how are you today?' }],
  maxTokens: 8,
};

/** Resolves once `done()` holds, checking on every turn of the event loop (no fixed sleep). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ keys: { 'test-key': 'production' } });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

/** A wrapped CohereClientV2 on the emulator, its policy's attempts and retries, and the recording limiter. */
function setup(extra: PolicyOptions = {}) {
  const rec = recordingLimiter();
  const net = recordingFetch();
  const attempts: number[] = [];
  const retries: string[] = [];
  const policy = createPolicy({
    ...cohere(),
    limiter: rec.limiter,
    retry: { backoff: constant(0), maxAttempts: 5 },
    on: { attempt: (e) => attempts.push(e.attempt), retry: (e) => retries.push(e.verdict.reason) },
    ...extra,
  });
  const raw = new CohereClientV2({ token: 'test-key', environment: emu.url, fetch: net.fetch });
  return { co: wrapClient(raw, policy), raw, policy, rec, net, attempts, retries };
}

describe('steady/sdk with the cohere-ai SDK (CohereClientV2)', () => {
  it('503, 503, 200: the server sees exactly the policy attempts (the SDK retries nothing itself)', async () => {
    const { co, rec, attempts, retries } = setup();
    emu.inject({ status: 503 }, { status: 503 });
    const reply = await co.chat(request, { maxRetries: 5 }); // the caller's maxRetries is overridden
    expect(reply.finishReason).toBe('MAX_TOKENS');
    expect(emu.stats()).toMatchObject({ requests: 3, byStatus: { 503: 2, 200: 1 } });
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries).toEqual(['server-error', 'server-error']);
    // Estimated from the request, refunded for the two 503s, committed with the reported usage.
    const usage = reply.usage!.billedUnits!;
    expect(rec.reservations.map((r) => r.how)).toEqual(['refund', 'refund', 'commit']);
    expect(rec.reservations[0]!.cost).toEqual({ calls: 1, tokens: 8 + 8 });
    expect(rec.reservations[2]!.usage).toEqual({ tokens: usage.inputTokens! + usage.outputTokens! });
    expect(rec.errors).toEqual([]);
  });

  it('gives up after maxAttempts with RetriesExhaustedError: 2 attempts, 2 requests', async () => {
    const { co } = setup({ retry: { backoff: constant(0), maxAttempts: 2 } });
    emu.inject({ status: 503 }, { status: 503 }, { status: 503 });
    const err = await co.chat(request).catch((e: any) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err.attempts).toBe(2);
    expect(err.cause).toBeInstanceOf(CohereError);
    expect(err.cause.statusCode).toBe(503);
    expect(emu.stats().requests).toBe(2);
  });

  it('400 → FatalError (invalid-request), one request, reservation refunded', async () => {
    const { co, rec } = setup();
    emu.inject({ status: 400 });
    const err = await co.chat(request).catch((e: any) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect(err.verdict).toMatchObject({
      action: 'fail',
      reason: 'invalid-request',
      scope: 'request',
      status: 400,
    });
    expect(err.cause).toBeInstanceOf(CohereError);
    expect(emu.stats().requests).toBe(1);
    expect(rec.reservations.map((r) => r.how)).toEqual(['refund']);
  });

  it('401 → FatalError (scope account); the breaker then fails the next call without a request', async () => {
    const { co } = setup();
    emu.inject({ status: 401 });
    const first = await co.chat(request).catch((e: any) => e);
    expect(first).toBeInstanceOf(FatalError);
    expect(first.verdict).toMatchObject({ reason: 'unauthorized', scope: 'account', status: 401 });
    const second = await co.chat(request).catch((e: any) => e);
    expect(second).toBeInstanceOf(CircuitOpenError);
    expect(emu.stats().requests).toBe(1);
  });

  it('a connection reset is retried as network', async () => {
    const { co, retries } = setup();
    emu.inject('reset');
    await expect(co.chat(request)).resolves.toMatchObject({ finishReason: 'MAX_TOKENS' });
    expect(retries).toEqual(['network']);
    expect(emu.stats()).toMatchObject({ requests: 2, byFault: { reset: 1 } });
  });

  it("the caller's abortSignal aborts the in-flight request and the call rejects with its reason", async () => {
    const { co, net } = setup();
    emu.inject({ delayMs: 30_000 });
    const ac = new AbortController();
    const stop = new Error('stop');
    const started = performance.now();
    const call = co.chat(request, { abortSignal: ac.signal }).catch((e: any) => e);
    await until(() => emu.stats().requests === 1); // the request is at the server, held for 30 s
    ac.abort(stop);
    expect(await call).toBe(stop);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(emu.stats().requests).toBe(1);
    expect(net.signals).toHaveLength(1);
    expect(net.signals[0]!.aborted).toBe(true); // the attempt's signal reached the SDK's fetch
  });

  it('.withRawResponse() still gives the data and the raw response', async () => {
    const { co } = setup();
    const { data, rawResponse } = await co.chat(request).withRawResponse();
    expect(data.finishReason).toBe('MAX_TOKENS');
    expect((rawResponse as { status: number }).status).toBe(200);
    expect(emu.stats().requests).toBe(1);
  });

  it('keeps the identity of wrapped methods and sub-clients; other properties pass through', () => {
    const { co, raw } = setup();
    expect(co.chat).toBe(co.chat);
    expect(co.datasets).toBe(co.datasets);
    expect(co.datasets.list).toBe(co.datasets.list);
    expect(co.chat).not.toBe(raw.chat);
    expect(co.datasets).not.toBe(raw.datasets);
    expect(co.chat.name).toBe(raw.chat.name);
  });
});

describe('steady/sdk with the v1 client (CohereClient)', () => {
  function v1() {
    const rec = recordingLimiter();
    const attempts: number[] = [];
    const policy = createPolicy({
      ...cohere(),
      limiter: rec.limiter,
      retry: { backoff: constant(0) },
      on: { attempt: (e) => attempts.push(e.attempt) },
    });
    return {
      co: wrapClient(new CohereClient({ token: 'test-key', environment: emu.url }), policy),
      rec,
      attempts,
    };
  }

  it('v1 chat: retried once, usage from meta.billed_units', async () => {
    const { co, rec, attempts } = v1();
    emu.inject({ status: 500 });
    const reply = await co.chat({ message: 'hello', maxTokens: 4 });
    const units = reply.meta!.billedUnits!;
    expect(attempts).toEqual([1, 2]);
    expect(emu.stats().requests).toBe(2);
    expect(rec.reservations.at(-1)).toMatchObject({
      how: 'commit',
      usage: { tokens: units.inputTokens! + units.outputTokens! },
    });
  });

  it('nested v2 sub-client: same identity on every access, calls under the policy', async () => {
    const { co, attempts } = v1();
    expect(co.v2).toBe(co.v2);
    expect(co.v2.chat).toBe(co.v2.chat);
    emu.inject({ status: 502 });
    await expect(co.v2.chat(request)).resolves.toMatchObject({ finishReason: 'MAX_TOKENS' });
    expect(attempts).toEqual([1, 2]);
    expect(emu.stats().byPath).toEqual({ '/v2/chat': 2 });
  });
});

describe('cohereArgs', () => {
  const raw = new CohereClient({ token: 'test-key', environment: 'http://127.0.0.1:9' });
  const v2 = new CohereClientV2({ token: 'test-key', environment: 'http://127.0.0.1:9' });
  const signal = new AbortController().signal;

  it('finds requestOptions by name, wherever it is, and keeps the caller options', () => {
    const info = (fn: Function, owner: object) => ({ fn, owner, path: [] });
    expect(cohereArgs.forAttempt(['id-1'], signal, info(raw.datasets.get, raw.datasets))).toEqual([
      'id-1',
      { maxRetries: 0, abortSignal: signal },
    ]);
    // `list(request = {}, requestOptions)`: length 0, found by name all the same.
    expect(cohereArgs.forAttempt([], signal, info(raw.datasets.list, raw.datasets))).toEqual([
      undefined,
      { maxRetries: 0, abortSignal: signal },
    ]);
    const given = { timeoutInSeconds: 7, maxRetries: 3 };
    const args = [{ message: 'x' }, given];
    expect(cohereArgs.forAttempt(args, signal, info(raw.chat, raw))[1]).toEqual({
      timeoutInSeconds: 7,
      maxRetries: 0,
      abortSignal: signal,
    });
    expect(given).toEqual({ timeoutInSeconds: 7, maxRetries: 3 }); // not mutated
  });

  it("CohereClientV2's bound methods: the last declared parameter", () => {
    expect(v2.chat.name).toBe('bound chat');
    const out = cohereArgs.forAttempt([{ model: 'm' }], signal, { fn: v2.chat, owner: v2, path: ['chat'] });
    expect(out).toEqual([{ model: 'm' }, { maxRetries: 0, abortSignal: signal }]);
    const callerSignal = new AbortController().signal;
    expect(
      cohereArgs.signalOf([{}, { abortSignal: callerSignal }], { fn: v2.chat, owner: v2, path: ['chat'] }),
    ).toBe(callerSignal);
  });

  it('leaves a generic function alone, bound or not', () => {
    const plain = {
      get(id: string, options?: object) {
        return [id, options];
      },
    };
    const bound = { get: plain.get.bind(plain) };
    for (const [fn, owner] of [
      [plain.get, plain],
      [bound.get, bound],
    ] as const) {
      expect(cohereArgs.forAttempt(['a', { x: 1 }], signal, { fn, owner, path: ['get'] })).toEqual([
        'a',
        { x: 1 },
      ]);
      expect(
        cohereArgs.signalOf(['a', { abortSignal: signal }], { fn, owner, path: ['get'] }),
      ).toBeUndefined();
    }
  });
});

describe('steady/sdk with any client', () => {
  class Store {
    #secret = 's3cret';
    failures = 0;
    readonly version = 3;
    items = {
      owner: this,
      async list(this: { owner: Store }, query: { q: string }, options?: { page: number }) {
        if (this.owner.failures-- > 0) throw Object.assign(new Error('busy'), { status: 503 });
        return { query, options };
      },
    };
    async get(id: string) {
      return `${id}:${this.#secret}`;
    }
    describe(): string {
      return `store v${this.version}`;
    }
  }

  it('wraps nested async methods, calls them on the original object, passes arguments unchanged', async () => {
    const attempts: string[] = [];
    const policy = createPolicy({
      retry: { backoff: constant(0) },
      on: { attempt: (e) => attempts.push(`attempt ${e.attempt}`) },
    });
    const store = new Store();
    const s = wrapClient(store, policy, { methods: (path) => path.join('.') !== 'describe' });
    await expect(s.get('a')).resolves.toBe('a:s3cret'); // `this` is the original: private fields work
    store.failures = 2;
    const options = { page: 2 };
    await expect(s.items.list({ q: 'x' }, options)).resolves.toEqual({
      query: { q: 'x' },
      options: { page: 2 },
    });
    expect(attempts).toEqual(['attempt 1', 'attempt 1', 'attempt 2', 'attempt 3']);
    expect(s.version).toBe(3);
    expect(s.items).toBe(s.items);
    expect(s.items.list).toBe(s.items.list);
    expect(s.describe()).toBe('store v3'); // excluded by `methods`: still synchronous
    expect(s.items.owner).toBe(s); // sub-objects are proxied once, whatever the path
  });

  it('each attempt gets a fresh signal (cohere-ai leaks a listener on every signal it is given)', async () => {
    const seen: AbortSignal[] = [];
    const policy = createPolicy({ retry: { backoff: constant(0) } });
    const raw = new CohereClientV2({ token: 'test-key', environment: emu.url });
    const co = wrapClient(raw, policy, {
      args: {
        signalOf: cohereArgs.signalOf,
        forAttempt: (args, signal, m) => {
          seen.push(signal);
          return cohereArgs.forAttempt(args, signal, m);
        },
      },
    });
    emu.inject({ status: 503 });
    await co.chat(request);
    await co.chat(request);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('checks its arguments and options, naming the option', () => {
    const policy = createPolicy();
    expect(() => wrapClient({}, {} as never)).toThrow(/needs a policy/);
    expect(() => wrapClient(null as never, policy)).toThrow(/needs a client/);
    expect(() => wrapClient({}, policy, { methods: 3 as never })).toThrow(/wrapClient\.methods/);
    expect(() => wrapClient({}, policy, { args: {} as never })).toThrow(/wrapClient\.args/);
    expect(() => wrapClient({}, policy, { cost: { inputs: 1 } as never })).toThrow(/wrapClient\.cost/);
    expect(() => wrapClient({}, policy, { profile: { name: 'x', cost: 1 } as never })).toThrow(
      /wrapClient\.profile\.cost/,
    );
    expect(() => wrapClient({}, policy, { streamEvents: { kind: () => 'data' } as never })).toThrow(
      /wrapClient\.streamEvents/,
    );
  });
});

describe('examples/cohere-sdk.ts', () => {
  it('runs one chat and one stream against the emulator and returns the streamed text', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const text = await main(emu.url, 'test-key');
      expect(text.split(' ')).toHaveLength(60);
      expect(log).toHaveBeenCalledTimes(1);
      expect(emu.stats()).toMatchObject({ requests: 2, byStatus: { 200: 2 } });
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
  });
});
