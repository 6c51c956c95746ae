/**
 * What examples/p-retry.ts and examples/bottleneck.ts show beyond the one-503 run every example gets
 * in test/examples.test.ts: a 401 is not retried; two different 5xx in a row are.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as bottleneckMain } from '../../examples/bottleneck.js';
import { main as pRetryMain } from '../../examples/p-retry.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  // The examples' policies use full jitter on Math.random: 0 makes every backoff wait 0 ms.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => vi.restoreAllMocks());

describe('examples', () => {
  it('p-retry: a 401 is not retried; the error carries status, body and headers', async () => {
    emu.inject({ status: 401 });
    const err = await pRetryMain(emu.url, 'test-key').catch((e) => e);
    expect(err).toMatchObject({ name: 'ApiError', status: 401 });
    expect(err.headers).toBeInstanceOf(Headers);
    expect(JSON.parse(err.body)).toHaveProperty('message');
    expect(emu.stats().requests).toBe(1);
  });

  it('bottleneck: a 503 then a 502 are retried, and the reply text comes back', async () => {
    emu.inject({ status: 503 }, { status: 502 });
    const text = await bottleneckMain(emu.url, 'test-key');
    expect(text.length).toBeGreaterThan(0);
    expect(emu.stats()).toMatchObject({ requests: 3, byStatus: { 502: 1, 503: 1, 200: 1 }, accepted: 1 });
  });
});
