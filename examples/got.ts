/**
 * One Cohere chat call with got, every request under a steady policy: the trial plan's limits,
 * Cohere's error catalogue, retries with the server's Retry-After.
 *
 *   npm run example -- got        # the local emulator; COHERE_API_KEY=... for the real API
 */
import got from 'got';
// In your code: `from 'steady/got'` and `from 'steady'`.
import { gotPolicy } from '../src/adapters/got/index.js';
import { cohere, createPolicy } from '../src/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

interface ChatReply {
  message: { content: { type: string; text: string }[] };
}

/** Sends one chat message and returns the reply text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...cohere({ plan: 'trial' }) });
  const cohereApi = got.extend(
    { prefixUrl: baseUrl, headers: { authorization: `Bearer ${apiKey}` } },
    gotPolicy(policy),
  );
  const reply = await cohereApi
    .post('v2/chat', { json: { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hello' }] } })
    .json<ChatReply>();
  return reply.message.content.map((part) => part.text).join('');
}

if (isEntry(import.meta.url)) runFromCli(main);
