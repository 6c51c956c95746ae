/**
 * The real cohere-ai, openai and @anthropic-ai/sdk clients under wrapClient, against the emulator
 * speaking each one's wire format: one call is one request at the server whatever the SDK's own
 * maxRetries say; the caller's signal, attemptTimeoutMs and every way a stream can break.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { constant } from '../../src/backoff/index.js';
import { FatalError, RetriesExhaustedError, StreamInterruptedError } from '../../src/errors/index.js';
import { addAround, internalsOf } from '../../src/policy/around.js';
import { createPolicy } from '../../src/policy/policy.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { type ProviderServer, startProviderServer } from '../classify/provider-servers.js';
import { CASES, KEY } from './sdk-clients.js';

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

let hang: ProviderServer;
beforeAll(async () => {
  hang = await startProviderServer();
});
afterAll(() => hang.close());

describe.each(CASES)('wrapClient($name)', (c) => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ provider: c.provider, keys: { [KEY]: 'production' } });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const endpoints: (string | undefined)[] = [];
  const policy = (retry: { attemptTimeoutMs?: number; maxAttempts?: number } = {}) => {
    const p = createPolicy({ ...c.preset(), retry: { maxAttempts: 4, backoff: constant(1), ...retry } });
    addAround(internalsOf(p)!, {
      call: (options, run) => {
        endpoints.push(options.endpoint);
        return run();
      },
      attempt: (_n, run) => run(),
    });
    return p;
  };

  it('a server that is always busy sees exactly maxAttempts (4) requests, not 4 × the SDK retries', async () => {
    emu.inject(...Array.from({ length: 20 }, () => c.busy));
    const err = await c
      .make(emu.url, policy())
      .chat()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(4);
    expect(emu.stats().requests).toBe(4);
  });

  it('names the endpoint of each call', async () => {
    endpoints.length = 0;
    await c.make(emu.url, policy()).chat();
    expect(endpoints).toEqual([c.endpoint]);
  });

  it("the caller's signal in the SDK's options aborts the call in flight, with its reason", async () => {
    emu.inject({ delayMs: 60_000 });
    const controller = new AbortController();
    const call = c.make(emu.url, policy()).chat(controller.signal);
    await until(() => emu.stats().requests === 1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(emu.stats().requests).toBe(1);
  });

  it('attemptTimeoutMs closes the request; each attempt is one request', async () => {
    const before = hang.count('head-only');
    // 300 ms: long enough for each attempt's request to reach the server on a loaded machine
    const calls = c.make(`${hang.url}/head-only`, policy({ attemptTimeoutMs: 300, maxAttempts: 2 }));
    const err = await calls.chat().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).verdict).toMatchObject({ action: 'retry', reason: 'timeout' });
    expect(hang.count('head-only') - before).toBe(2);
    await until(() => hang.closed('head-only') - before >= 2);
  });

  it('a connection reset is retried', async () => {
    emu.inject('reset');
    await c.make(emu.url, policy()).chat();
    expect(emu.stats().requests).toBe(2);
  });

  describe('streams', () => {
    it('a drop before the first content is retried; the caller reads one whole stream', async () => {
      emu.inject({ streamFailAfter: 0, mode: 'destroy' });
      expect(await c.make(emu.url, policy()).stream()).toBeGreaterThan(0);
      expect(emu.stats().requests).toBe(2);
    });

    it('an in-band error before the first content (overloaded) is retried', async () => {
      emu.inject({ streamFailAfter: 0, mode: 'event' });
      expect(await c.make(emu.url, policy()).stream()).toBeGreaterThan(0);
      expect(emu.stats().requests).toBe(2);
    });

    it.skipIf(c.provider === 'cohere')('an in-band invalid-request error fails at once', async () => {
      emu.inject({ streamFailAfter: 0, mode: 'event', errorType: 'invalid_request_error' });
      const err = await c
        .make(emu.url, policy())
        .stream()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FatalError);
      expect((err as FatalError).verdict).toMatchObject({ action: 'fail', reason: 'invalid-request' });
      expect(emu.stats().requests).toBe(1);
    });

    it.each([
      ['a drop', { streamFailAfter: 2, mode: 'destroy' as const }],
      ['an in-band error', { streamFailAfter: 2, mode: 'event' as const }],
      ['an end without its terminator', { streamEndEarly: 2 }],
    ])('%s after content is StreamInterruptedError, never retried', async (_what, fault) => {
      emu.inject(fault);
      const err = await c
        .make(emu.url, policy())
        .stream()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StreamInterruptedError);
      expect((err as StreamInterruptedError).chunksDelivered).toBeGreaterThanOrEqual(2);
      expect(emu.stats().requests).toBe(1);
    });
  });
});
