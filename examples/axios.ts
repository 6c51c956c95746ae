/**
 * One Cohere chat call with axios, every request of the instance under a steady policy: the trial
 * plan's limits, Cohere's error catalogue, retries with the server's Retry-After.
 *
 *   CO_API_KEY=... npx tsx examples/axios.ts
 */
import { pathToFileURL } from 'node:url';
import axios from 'axios';
// In your code: `from 'steady/axios'` and `from 'steady'`.
import { attachPolicy } from '../src/adapters/axios/index.js';
import { cohere, createPolicy } from '../src/index.js';

interface ChatReply {
  message: { content: { type: string; text: string }[] };
}

/** Sends one chat message and returns the reply text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...cohere({ plan: 'trial' }) });
  const cohereApi = axios.create({ baseURL: baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
  attachPolicy(cohereApi, policy);
  const { data } = await cohereApi.post<ChatReply>('/v2/chat', {
    model: 'command-a-03-2025',
    messages: [{ role: 'user', content: 'Hello' }],
  });
  return data.message.content.map((part) => part.text).join('');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.env.COHERE_BASE_URL ?? 'https://api.cohere.com', process.env.CO_API_KEY ?? '').then(
    (text) => console.log(text),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
