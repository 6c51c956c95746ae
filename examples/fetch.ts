/**
 * One Cohere chat call with fetch under a steady policy: the trial plan's limits, Cohere's error
 * catalogue, retries with backoff and the server's Retry-After.
 *
 *   npm run example -- fetch        # the local emulator; COHERE_API_KEY=... for the real API
 */
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
  const fetchCohere = steadyFetch(policy);
  // The body is a string, so a retry can send it again; its token cost is estimated from it.
  const res = await fetchCohere(`${baseUrl}/v2/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 100,
    }),
  });
  const reply = (await res.json()) as ChatReply;
  return reply.message.content.map((part) => part.text).join('');
}

if (isEntry(import.meta.url)) runFromCli(main);
