/**
 * Clients × scenarios against a local server speaking OpenAI's and Anthropic's wire formats:
 * requests the server saw, and what the caller got. `npx tsx bench/providers.ts` (or
 * `npm run bench -- providers`). No figure here is a time: counts and verdicts only.
 */

import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText } from 'ai';
import ky from 'ky';
import OpenAI from 'openai';
import { request } from 'undici';
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { constant } from '../src/backoff/index.js';
import { isSteadyError } from '../src/errors/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { anthropic } from '../src/presets/anthropic/index.js';
import { cohere } from '../src/presets/cohere/index.js';
import { openai } from '../src/presets/openai/index.js';
import type { Preset } from '../src/presets/types.js';
import { startProviderServer } from '../test/classify/provider-servers.js';

const MAX_ATTEMPTS = 4;
const server = await startProviderServer();
const KEY = 'sk-test-key';
const policy = (preset: Preset, extra: { maxRetryAfterMs?: number } = {}) =>
  createPolicy({ ...preset, retry: { maxAttempts: MAX_ATTEMPTS, backoff: constant(1), ...extra } });
const oa = (s: string, timeout = 10_000) =>
  new OpenAI({ apiKey: KEY, baseURL: `${server.url}/${s}`, maxRetries: 0, timeout });
const an = (s: string, timeout = 10_000) =>
  new Anthropic({ apiKey: KEY, baseURL: `${server.url}/${s}`, maxRetries: 0, timeout });
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };
const message = {
  model: 'claude-test',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
const aiModel = (s: string, fetch: typeof globalThis.fetch) =>
  createOpenAI({ apiKey: KEY, baseURL: `${server.url}/${s}`, fetch }).chat('gpt-4o');

function got(err: unknown): string {
  if (!isSteadyError(err)) {
    const e = err as { name?: string; cause?: { name?: string } };
    const inner = e?.cause?.name ? ` (cause ${e.cause.name})` : '';
    return `${e?.name ?? String(err)}${inner}`;
  }
  const v = err.verdict;
  const hint = v?.action === 'retry' && v.retryAfterMs !== undefined ? `, hint ${v.retryAfterMs} ms` : '';
  const stop = 'stoppedBy' in err ? ` (${String((err as { stoppedBy: string }).stoppedBy)})` : '';
  const reason = v && v.action !== 'ok' ? `/${v.reason}` : '';
  return `${err.name}${stop}: ${v?.action}${reason}${v?.action === 'fail' ? ` scope ${v.scope}` : ''}${hint}`;
}

const rows: [string, string, string, number, string][] = [];
async function row(client: string, scenario: string, path: string, run: () => Promise<unknown>) {
  const before = server.count(path);
  let outcome: string;
  try {
    await run();
    outcome = 'resolved';
  } catch (err) {
    outcome = got(err);
  }
  rows.push([client, scenario, path, server.count(path) - before, outcome]);
}
const drain = async (s: AsyncIterable<unknown>) => {
  for await (const _ of s);
};

await row('AI SDK generateText, fetch: steadyFetch', 'always 429 (default maxRetries 2)', 'always-429', () =>
  generateText({ model: aiModel('always-429', steadyFetch(policy(openai()))), prompt: 'hi' }),
);
await row('AI SDK generateText, fetch: steadyFetch', 'connection reset (default maxRetries 2)', 'reset', () =>
  generateText({ model: aiModel('reset', steadyFetch(policy(openai()))), prompt: 'hi' }),
);
await row('AI SDK generateText, fetch: steadyFetch', 'connection reset, maxRetries: 0', 'reset', () =>
  generateText({ model: aiModel('reset', steadyFetch(policy(openai()))), prompt: 'hi', maxRetries: 0 }),
);
await row('ky.get, fetch: steadyFetch (ky default retry)', 'always 429', 'always-429', () =>
  ky
    .create({ fetch: steadyFetch(policy(openai())) })
    .get(`${server.url}/always-429/x`)
    .json(),
);
await row('ky.get, fetch: steadyFetch, retry: 0', 'always 429', 'always-429', () =>
  ky
    .create({ fetch: steadyFetch(policy(openai())), retry: 0 })
    .get(`${server.url}/always-429/x`)
    .json(),
);
await row(
  'policy.run(ky.post, retry: 0), cohere()',
  'Cohere 400 "too many tokens"',
  'cohere-tokens-400',
  () =>
    policy(cohere()).run(({ signal }) =>
      ky.post(`${server.url}/cohere-tokens-400/v2/chat`, { json: {}, retry: 0, signal }).json(),
    ),
);
await row('policy.run(openai SDK), openai()', '429 insufficient_quota', 'openai-quota', () =>
  policy(openai()).run(() => oa('openai-quota').chat.completions.create(chat)),
);
await row(
  'policy.run(openai SDK), openai(), maxRetryAfterMs 60 s',
  '429, requests 1s + tokens 6m0s both at 0',
  'openai-both-exhausted',
  () =>
    policy(openai(), { maxRetryAfterMs: 60_000 }).run(() =>
      oa('openai-both-exhausted').chat.completions.create(chat),
    ),
);
await row(
  'policy.run(Anthropic SDK), anthropic(), maxRetryAfterMs 1 s',
  '429, tokens reset in 3 s (RFC 3339), no retry-after',
  'anthropic-reset-3s',
  () =>
    policy(anthropic(), { maxRetryAfterMs: 1_000 }).run(() =>
      an('anthropic-reset-3s').messages.create(message),
    ),
);
await row('policy.run(openai SDK, timeout 100 ms)', 'server never answers', 'hang', () =>
  policy(openai()).run(() => oa('hang', 100).chat.completions.create(chat)),
);
await row(
  'policy.run(Anthropic SDK stream)',
  'event: error overloaded_error',
  'anthropic-stream-overloaded',
  () =>
    policy(anthropic()).run(async () =>
      drain(await an('anthropic-stream-overloaded').messages.create({ ...message, stream: true })),
    ),
);
await row(
  'policy.run(Anthropic SDK stream)',
  'event: error invalid_request_error',
  'anthropic-stream-invalid',
  () =>
    policy(anthropic()).run(async () =>
      drain(await an('anthropic-stream-invalid').messages.create({ ...message, stream: true })),
    ),
);
await row('policy.run(Anthropic SDK)', '529 overloaded_error', 'anthropic-529', () =>
  policy(anthropic()).run(() => an('anthropic-529').messages.create(message)),
);
await row('policy.run(openai SDK), openai()', '500 with x-should-retry: false', 'no-retry-500', () =>
  policy(openai()).run(() => oa('no-retry-500').chat.completions.create(chat)),
);
await row('policy.run(openai SDK), openai()', '409 with x-should-retry: true', 'retry-409', () =>
  policy(openai()).run(() => oa('retry-409').chat.completions.create(chat)),
);
await row('policy.run(undici.request, headersTimeout 100 ms)', 'server never answers', 'hang', () =>
  policy(openai()).run(() => request(`${server.url}/hang`, { headersTimeout: 100 })),
);
await server.close();

console.log(`maxAttempts ${MAX_ATTEMPTS} everywhere.\n`);
console.log('| client | scenario | requests at the server | what the caller got |');
console.log('|---|---|---|---|');
for (const [client, scenario, , n, outcome] of rows)
  console.log(`| ${client} | ${scenario} | ${n} | ${outcome} |`);
process.exit(0);
