/**
 * One Cohere chat call with axios, every request of the instance under a steady policy: the trial
 * plan's limits, Cohere's error catalogue, retries with the server's Retry-After.
 *
 *   npm run example -- axios        # the local emulator; COHERE_API_KEY=... for the real API
 */
import axios from 'axios';
// In your code: `from 'steady/axios'` and `from 'steady'`.
import { attachPolicy } from '../src/adapters/axios/index.js';
import { cohere, createPolicy } from '../src/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

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

if (isEntry(import.meta.url)) runFromCli(main);
