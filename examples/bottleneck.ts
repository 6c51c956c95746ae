/**
 * One Cohere chat call scheduled by Bottleneck, with steady deciding which failed jobs are retried
 * and after how long (the server's Retry-After included).
 *
 *   npm run example -- bottleneck        # the local emulator; COHERE_API_KEY=... for the real API
 */
import Bottleneck from 'bottleneck';
// In your code: `from 'steady/bottleneck'` and `from 'steady'`.
import { bottleneckFailed } from '../src/adapters/bottleneck/index.js';
import { cohere, createPolicy } from '../src/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

/** A non-2xx answer, carrying what steady's classifier reads: status, body and headers. */
class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Headers,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

const policy = createPolicy({ ...cohere(), retry: { maxAttempts: 4 } });
// A trial key allows 40 calls a minute: one every 1.5 s.
const limiter = new Bottleneck({ maxConcurrent: 4, minTime: 1_500 });
limiter.on('failed', bottleneckFailed(policy));

/** Sends one chat message and returns the reply text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const reply = await limiter.schedule(async () => {
    const res = await fetch(`${baseUrl}/v2/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'command-r', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    const body = await res.text();
    if (!res.ok) throw new ApiError(res.status, body, res.headers);
    return JSON.parse(body) as { message: { content: { text: string }[] } };
  });
  return reply.message.content[0]?.text ?? '';
}

if (isEntry(import.meta.url)) runFromCli(main);
