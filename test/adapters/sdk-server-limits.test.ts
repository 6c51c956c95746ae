/**
 * Issue 8, item 7 under wrapClient: the raw response of each attempt (success, stream, error)
 * reaches the policy's server watch, so the real openai and @anthropic-ai/sdk clients learn the
 * limits they were not given from the first answer, and another client's use of the same key is
 * charged to the ledger. The emulator enforces and reports the limit; its windows and the
 * policy's waits run on one test clock.
 */
import Anthropic from '@anthropic-ai/sdk';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { wrapClient } from '../../src/adapters/sdk/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { cohere } from '../../src/presets/cohere/index.js';
import { openai } from '../../src/presets/openai/index.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { testClock } from '../../src/testing.js';
import { drive, until } from './sdk-helpers.js';

const KEY = 'sk-shared-key';
const LIMIT = 10;
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hello there' }] };
const msg = { model: 'claude-test', max_tokens: 40, messages: [{ role: 'user' as const, content: 'hi' }] };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Waits for the emulator to have received `n` requests: the SDK's I/O is real. */
async function received(n: number): Promise<void> {
  await until(() => emu!.stats().requests >= n);
  expect(emu!.stats().requests).toBeGreaterThanOrEqual(n);
}

async function setup(provider: 'openai' | 'anthropic', fromHeaders = true) {
  const clock = testClock(1_700_000_000_000);
  emu = await startEmulator({
    provider,
    clock,
    keys: { [KEY]: { callsPerMinute: LIMIT, tokensPerMinute: 1_000_000 } },
  });
  const limits: { dimension: string; reported: number; learned: boolean }[] = [];
  const preset = provider === 'openai' ? openai : anthropic;
  const policy = createPolicy({
    ...preset(fromHeaders ? {} : { limits: { calls: { limit: LIMIT, windowMs: 60_000 } } }),
    limiter: { fromHeaders },
    retry: { maxAttempts: 3 },
    breaker: false,
    budget: false,
    clock,
    on: { limits: (e) => limits.push(e) },
  });
  return { clock, policy, limits, emu };
}

describe('wrapClient: limits from the headers of every answer', { timeout: 20_000 }, () => {
  it('openai: a policy given no limits learns them from the first success', async () => {
    const { policy, limits } = await setup('openai');
    const oa = wrapClient(new OpenAI({ apiKey: KEY, baseURL: `${emu!.url}/v1` }), policy);
    const reply = await oa.chat.completions.create(chat);
    expect(reply.object).toBe('chat.completion'); // the caller gets the parsed result, as without steady
    expect(limits).toEqual([
      expect.objectContaining({ dimension: 'calls', reported: LIMIT, learned: true }),
      expect.objectContaining({ dimension: 'tokens', reported: 1_000_000, learned: true }),
    ]);
  });

  it('anthropic: a stream’s initial response is read too (messages.stream() and stream: true)', async () => {
    const { policy, limits } = await setup('anthropic');
    const an = wrapClient(new Anthropic({ apiKey: KEY, baseURL: emu!.url }), policy);
    const final = await an.messages.stream(msg).finalMessage();
    expect(final.type).toBe('message');
    expect(limits.map((e) => [e.dimension, e.reported])).toEqual([
      ['calls', LIMIT],
      ['tokens', 1_000_000],
    ]);
  });

  it('cohere-ai: its raw response (`.withRawResponse()`) reaches a reader too, though cohere() has none', async () => {
    const clock = testClock(1_700_000_000_000);
    emu = await startEmulator({ clock, keys: { [KEY]: 'trial' } });
    const seen: (string | null)[] = [];
    const policy = createPolicy({
      ...cohere(),
      serverLimits: (headers) => {
        seen.push((headers as Headers).get('content-type'));
        return undefined;
      },
      clock,
    });
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: emu.url }), policy);
    const reply = await co.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.finishReason).toEqual(expect.any(String));
    expect(seen).toEqual([expect.stringMatching(/application\/json/)]);
  });

  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: another client's use of the key is charged, so later calls wait instead of drawing 429s`, async () => {
      const { clock, policy } = await setup(provider);
      const call = clientFor(provider, policy);
      await otherSpends(provider, 7);
      await call(); // 8 used of 10: the ledger is charged the other client's 7
      const rest = Promise.all(Array.from({ length: 4 }, () => call()));
      // At most two fit in the window (the watch keeps one free while the other client spends);
      // the rest wait for it to roll.
      await received(9);
      await new Promise((r) => setTimeout(r, 20));
      expect(emu!.stats().requests).toBeLessThanOrEqual(LIMIT);
      expect(await drive(clock, rest)).toHaveLength(4);
      const stats = emu!.stats();
      expect(stats.rateLimited.calls).toBe(0);
      expect(stats.byKey[KEY]!.accepted).toBe(12);
    });
  }

  it('blind (fromHeaders: false, the limit configured), the same calls draw 429s', async () => {
    const { clock, policy } = await setup('openai', false);
    const call = clientFor('openai', policy);
    await otherSpends('openai', 7);
    await call();
    const rest = Promise.all(Array.from({ length: 4 }, () => call()));
    // The ledger thinks 9 are free: all four are sent, two refused, retried after the window.
    await received(12);
    expect(await drive(clock, rest)).toHaveLength(4);
    expect(emu!.stats().rateLimited.calls).toBeGreaterThanOrEqual(2);
  });
});

/** One call of the wrapped real client. */
function clientFor(provider: 'openai' | 'anthropic', policy: ReturnType<typeof createPolicy>) {
  if (provider === 'openai') {
    const oa = wrapClient(new OpenAI({ apiKey: KEY, baseURL: `${emu!.url}/v1` }), policy);
    return () => oa.chat.completions.create(chat);
  }
  const an = wrapClient(new Anthropic({ apiKey: KEY, baseURL: emu!.url }), policy);
  return () => an.messages.create(msg);
}

/** A client steady does not know about spends `n` calls on the same key. */
async function otherSpends(provider: 'openai' | 'anthropic', n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (provider === 'openai')
      await new OpenAI({ apiKey: KEY, baseURL: `${emu!.url}/v1`, maxRetries: 0 }).chat.completions.create(
        chat,
      );
    else await new Anthropic({ apiKey: KEY, baseURL: emu!.url, maxRetries: 0 }).messages.create(msg);
  }
}
