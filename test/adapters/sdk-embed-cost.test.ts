/**
 * Issue 8, item 8 under wrapClient: a cohere-ai `embed` call costs its inputs (`{ inputs }`), so
 * `cohere({ plan: 'trial' })`'s `embed:inputs` limit (2,000 a minute) applies without the caller
 * passing a cost; a cost of the caller's (`wrapClient(…, { cost })`) wins. The real cohere-ai
 * clients against the emulator; its windows and the policy's waits run on one test clock.
 */
import { CohereClient, CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wrapClient } from '../../src/adapters/sdk/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { cohere } from '../../src/presets/cohere/index.js';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';
import { testClock } from '../../src/testing.js';
import { KEY } from './sdk-clients.js';
import { drive, recordingLimiter, until } from './sdk-helpers.js';

const texts = (n: number) => Array.from({ length: n }, (_, i) => `text ${i}`);
const embed = (n: number) => ({
  model: 'embed-v4.0',
  inputType: 'search_document' as const,
  texts: texts(n),
});

let emu: Emulator;
const clock = testClock(1_700_000_000_000);
beforeAll(async () => {
  emu = await startEmulator({ clock, keys: { [KEY]: 'trial' } });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

/** Waits until the emulator has had `n` requests, and a little more in case more come. */
async function settled(n: number): Promise<number> {
  await until(() => emu.stats().requests >= n);
  await new Promise((r) => setTimeout(r, 30));
  return emu.stats().requests;
}

describe('wrapClient(cohere-ai): embed is charged its inputs', { timeout: 20_000 }, () => {
  it('the trial’s 2,000 inputs a minute: the 21st embed of 96 texts waits for the window', async () => {
    const policy = createPolicy({ ...cohere({ plan: 'trial' }), clock, breaker: false, budget: false });
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: emu.url }), policy);
    const all = Promise.all(Array.from({ length: 21 }, () => co.embed(embed(96))));
    expect(await settled(20)).toBe(20); // 20 × 96 = 1,920 inputs; one more would make 2,016
    const replies = await drive(clock, all);
    expect(replies).toHaveLength(21);
    expect(replies[20]!.embeddings.float).toHaveLength(96); // the caller gets the SDK's result
    expect(emu.stats().requests).toBe(21);
  });

  it('a cost of the caller’s wins: at { inputs: 500 } a call, the 5th embed of one text waits', async () => {
    const policy = createPolicy({ ...cohere({ plan: 'trial' }), clock, breaker: false, budget: false });
    const co = wrapClient(new CohereClientV2({ token: KEY, environment: emu.url }), policy, {
      cost: (_args, path) => (path[path.length - 1] === 'embed' ? { inputs: 500 } : undefined),
    });
    const all = Promise.all(Array.from({ length: 5 }, () => co.embed(embed(1))));
    expect(await settled(4)).toBe(4);
    expect(await drive(clock, all)).toHaveLength(5);
    expect(emu.stats().requests).toBe(5);
  });

  it('counts v2 texts, images and inputs, and v1 texts; chat carries no inputs', async () => {
    const rec = recordingLimiter();
    const policy = createPolicy({ ...cohere(), limiter: rec.limiter, clock });
    const v2 = wrapClient(new CohereClientV2({ token: KEY, environment: emu.url }), policy);
    const v1 = wrapClient(new CohereClient({ token: KEY, environment: emu.url }), policy);
    await v2.embed(embed(3));
    await v2.embed({
      model: 'embed-v4.0',
      inputType: 'search_document',
      inputs: [{ content: [{ type: 'text', text: 'a' }] }, { content: [{ type: 'text', text: 'b' }] }],
    });
    await v1.embed({ texts: texts(5) });
    await v1.v2.embed(embed(4));
    await v2.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
    expect(rec.reservations.map((r) => (r.cost as Record<string, number>).inputs)).toEqual([
      3,
      2,
      5,
      4,
      undefined,
    ]);
    expect(rec.open()).toBe(0);
    expect(rec.errors).toEqual([]);
  });

  it('openai (a Stainless client): the caller’s cost reads the core’s request options', async () => {
    const oaEmu = await startEmulator({ provider: 'openai', keys: { [KEY]: 'production' } });
    try {
      const rec = recordingLimiter();
      const policy = createPolicy({ limiter: rec.limiter });
      const oa = wrapClient(new OpenAI({ apiKey: KEY, baseURL: `${oaEmu.url}/v1` }), policy, {
        cost: (args, path) => {
          const body = (args[0] as { body?: { messages?: unknown[] } }).body;
          return path[0] === 'request' && body?.messages ? { inputs: body.messages.length } : undefined;
        },
      });
      const messages = [
        { role: 'user' as const, content: 'a' },
        { role: 'user' as const, content: 'b' },
      ];
      const reply = await oa.chat.completions.create({ model: 'gpt-4o', messages });
      expect(reply.object).toBe('chat.completion');
      expect(rec.reservations.map((r) => (r.cost as Record<string, number>).inputs)).toEqual([2]);
    } finally {
      await oaEmu.close();
    }
  });
});
