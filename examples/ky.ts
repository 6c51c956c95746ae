/**
 * One Cohere chat call with ky over steady's fetch: the trial plan's limits, Cohere's error
 * catalogue, retries with the server's Retry-After. ky's own retry is turned off (`retry: 0`):
 * steady retries, and two layers of retries would multiply the requests (ky retries a failed GET
 * twice by default: 3 × maxAttempts requests).
 *
 *   npm run example -- ky        # the local emulator; COHERE_API_KEY=... for the real API
 */
import ky from 'ky';
// In your code: `from 'steady/fetch'` and `from 'steady'`.
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { cohere, createPolicy } from '../src/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

interface ChatReply {
  message: { content: { type: string; text: string }[] };
}

/** Sends one chat message and returns the reply text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
  const api = ky.create({
    prefixUrl: baseUrl,
    headers: { authorization: `Bearer ${apiKey}` },
    fetch: steadyFetch(policy),
    retry: 0, // steady retries; ky must not retry steady's final errors
    timeout: false, // steady's retry.attemptTimeoutMs bounds each attempt instead
  });
  const reply = await api
    .post('v2/chat', {
      json: { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 },
    })
    .json<ChatReply>();
  return reply.message.content.map((part) => part.text).join('');
}

if (isEntry(import.meta.url)) runFromCli(main);
