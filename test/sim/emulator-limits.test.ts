/**
 * The three counting algorithms, driven by an injected manual clock (no latency, so no timer is ever set:
 * real sockets, virtual time), the window peak measurement, and option checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { type EmulatorOptions, startEmulator } from '../../src/sim/emulator/index.js';
import { WindowPeak } from '../../src/sim/emulator/window-peak.js';

const MINUTE = 60_000;

function manualClock() {
  let now = 1_000_000;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return { clock, set: (t: number) => (now = 1_000_000 + t) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An emulator with key `k` (2 calls / 1,000,000 tokens a minute) and a caller that returns the status. */
async function setup(options: EmulatorOptions) {
  const time = manualClock();
  const emu = await startEmulator({
    keys: { k: { callsPerMinute: 2, tokensPerMinute: 1_000_000 } },
    clock: time.clock,
    ...options,
  });
  closers.push(() => emu.close());
  const call = async (atMs: number) => {
    time.set(atMs);
    const res = await fetch(`${emu.url}/v2/chat`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 1 }),
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };
  return { emu, call };
}

describe('rolling (default)', () => {
  it('frees a slot exactly one window after the call that took it', async () => {
    const { emu, call } = await setup({});
    expect((await call(0)).status).toBe(200);
    expect((await call(30_000)).status).toBe(200);
    expect(await call(50_000)).toEqual({ status: 429, retryAfter: '10' });
    expect((await call(59_999)).status).toBe(429);
    expect((await call(60_000)).status).toBe(200);
    expect((await call(60_001)).status).toBe(429);
    expect((await call(90_000)).status).toBe(200);
    const s = emu.stats();
    expect(s.maxCallsInAnyWindow).toBe(2);
    expect(s.rateLimited.calls).toBe(3);
  });

  it('divides the window by timeScale', async () => {
    const { emu, call } = await setup({ timeScale: 600 });
    expect(emu.windowMs).toBe(100);
    await call(0);
    await call(10);
    expect(await call(20)).toEqual({ status: 429, retryAfter: '1' });
    expect((await call(100)).status).toBe(200);
  });
});

describe('fixed', () => {
  it('resets at window boundaries, so a rolling minute can see twice the limit', async () => {
    const { emu, call } = await setup({ limitAlgorithm: 'fixed' });
    expect((await call(50_000)).status).toBe(200);
    expect((await call(55_000)).status).toBe(200);
    expect(await call(58_000)).toEqual({ status: 429, retryAfter: '2' });
    expect((await call(60_000)).status).toBe(200);
    expect((await call(61_000)).status).toBe(200);
    expect((await call(62_000)).status).toBe(429);
    expect(emu.stats().maxCallsInAnyWindow).toBe(4);
  });
});

describe('bucket', () => {
  it('refills continuously at limit per window', async () => {
    const { call } = await setup({ limitAlgorithm: 'bucket' });
    expect((await call(0)).status).toBe(200);
    expect((await call(0)).status).toBe(200);
    expect(await call(10_000)).toEqual({ status: 429, retryAfter: '20' });
    expect((await call(30_000)).status).toBe(200);
    expect((await call(30_000)).status).toBe(429);
  });
});

describe('options', () => {
  it('retryAfterHeader: false sends no Retry-After', async () => {
    const { call } = await setup({ retryAfterHeader: false });
    await call(0);
    await call(0);
    expect(await call(0)).toEqual({ status: 429, retryAfter: null });
  });

  it('reset() clears the ledgers and the stats', async () => {
    const { emu, call } = await setup({});
    await call(0);
    await call(0);
    emu.reset();
    expect(emu.stats().requests).toBe(0);
    expect((await call(0)).status).toBe(200);
  });

  it('bad options throw naming the option', async () => {
    await expect(startEmulator({ timeScal: 10 } as never)).rejects.toThrow(
      'steady: timeScal is not an option of startEmulator; did you mean timeScale?',
    );
    await expect(startEmulator({ faults: { rate: 0.1, kind: [] } } as never)).rejects.toThrow(
      'steady: faults.kind is not an option of faults; did you mean kinds?',
    );
    await expect(startEmulator({ timeScale: 0 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ timeScale: 0 })).rejects.toThrow(
      'steady: timeScale must be a number > 0 (finite), got 0',
    );
    await expect(startEmulator({ keys: { a: { callsPerMinute: 0, tokensPerMinute: 1 } } })).rejects.toThrow(
      'steady: keys.a must be',
    );
    await expect(startEmulator({ latencyMs: { min: 5, max: 1 } })).rejects.toThrow(
      'steady: latencyMs must be',
    );
    await expect(startEmulator({ faults: { rate: 2 } })).rejects.toThrow(
      'steady: faults.rate must be a number in [0, 1], got 2',
    );
    await expect(startEmulator({ faults: { rate: 0.1, kinds: [{ status: 418 as 400 }] } })).rejects.toThrow(
      TypeError,
    );
  });

  it('inject() rejects a malformed fault', async () => {
    const emu = await startEmulator();
    closers.push(() => emu.close());
    expect(() => emu.inject({ streamFailAfter: -1 })).toThrow('steady: inject[0] must be');
  });
});

describe('WindowPeak', () => {
  it('finds the most arrivals and tokens in any rolling window (two pointers)', () => {
    const peak = new WindowPeak(MINUTE);
    for (const [t, tokens] of [
      [0, 10],
      [59_000, 10],
      [60_000, 10], // the arrival at 0 has left: [59_000, 60_000] hold 2
      [61_000, 500],
      [62_000, 10],
      [200_000, 1],
    ] as const) {
      peak.record(t, tokens);
    }
    expect(peak.maxCalls).toBe(4);
    expect(peak.maxTokens).toBe(530);
  });

  it('keeps at most maxEntries arrivals', () => {
    const peak = new WindowPeak(MINUTE, 3);
    for (let i = 0; i < 10; i++) peak.record(i, 1);
    expect(peak.maxCalls).toBe(3);
  });
});
