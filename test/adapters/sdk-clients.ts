/** The three real SDK clients, each wrapped, made the same way for the tests and bench/sdk-clients.ts. */
import Anthropic from '@anthropic-ai/sdk';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { wrapClient } from '../../src/adapters/sdk/index.js';
import type { Policy } from '../../src/policy/policy.js';
import { anthropic } from '../../src/presets/anthropic/index.js';
import { cohere } from '../../src/presets/cohere/index.js';
import { openai } from '../../src/presets/openai/index.js';
import type { Preset } from '../../src/presets/types.js';
import type { FaultStatus, Provider } from '../../src/sim/emulator/index.js';

export const KEY = 'test-key';

/** One wrapped client's calls, whatever its SDK. */
export interface Calls {
  /** A chat; `signal` goes where the SDK takes one (cohere-ai: `abortSignal`). The caller asks the SDK for 3 retries: steady must override it. */
  chat(signal?: AbortSignal): Promise<unknown>;
  /** A streamed chat, read to its end; resolves with the number of content events. */
  stream(): Promise<number>;
}

export interface ClientCase {
  name: string;
  provider: Provider;
  preset: () => Preset;
  /** The answer that says "busy": 429 for OpenAI and Cohere, 529 for Anthropic (with no wait hint). */
  busy: { status: FaultStatus; message?: string };
  /** The endpoint a chat names in `RunOptions.endpoint`. */
  endpoint: string;
  make(url: string, policy: Policy): Calls;
}

const text = 'hello there, how are you today?';

async function count(stream: AsyncIterable<unknown>, isContent: (e: any) => boolean): Promise<number> {
  let n = 0;
  for await (const e of stream) if (isContent(e)) n++;
  return n;
}

export const CASES: readonly ClientCase[] = [
  {
    name: 'cohere-ai CohereClientV2',
    provider: 'cohere',
    preset: cohere,
    busy: { status: 429 },
    endpoint: 'chat',
    make(url, policy) {
      const co = wrapClient(new CohereClientV2({ token: KEY, environment: url }), policy);
      const request = { model: 'command-a-03-2025', messages: [{ role: 'user' as const, content: text }] };
      return {
        chat: (signal) => co.chat(request, { maxRetries: 3, ...(signal && { abortSignal: signal }) }),
        stream: async () => count(await co.chatStream(request), (e) => e.type === 'content-delta'),
      };
    },
  },
  {
    name: 'openai OpenAI',
    provider: 'openai',
    preset: openai,
    // The emulator's default message says "try again in 1s": a hint steady would honour.
    busy: { status: 429, message: 'Rate limit reached for requests per min (RPM).' },
    endpoint: 'chat.completions',
    make(url, policy) {
      const oa = wrapClient(new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 5 }), policy);
      const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: text }] };
      return {
        chat: (signal) => oa.chat.completions.create(body, { maxRetries: 3, ...(signal && { signal }) }),
        stream: async () =>
          count(
            await oa.chat.completions.create({ ...body, stream: true }),
            (e) => !!e.choices?.[0]?.delta?.content,
          ),
      };
    },
  },
  {
    name: '@anthropic-ai/sdk Anthropic',
    provider: 'anthropic',
    preset: anthropic,
    busy: { status: 529 },
    endpoint: 'messages',
    make(url, policy) {
      const an = wrapClient(new Anthropic({ apiKey: KEY, baseURL: url, maxRetries: 5 }), policy);
      const body = {
        model: 'claude-test',
        max_tokens: 64,
        messages: [{ role: 'user' as const, content: text }],
      };
      return {
        chat: (signal) => an.messages.create(body, { maxRetries: 3, ...(signal && { signal }) }),
        stream: async () =>
          count(await an.messages.create({ ...body, stream: true }), (e) => e.type === 'content_block_delta'),
      };
    },
  },
];
