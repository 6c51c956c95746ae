/**
 * One Cohere chat call under p-retry, with steady deciding what is retried and how long to wait
 * (the server's Retry-After included).
 *
 *   npm run example -- p-retry        # the local emulator; COHERE_API_KEY=... for the real API
 */
import pRetry from 'p-retry';
// In your code: `from 'steady/p-retry'` and `from 'steady'`.
import { pRetryOptions } from '../src/adapters/p-retry/index.js';
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

/** Sends one chat message and returns the reply text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const signal = AbortSignal.timeout(120_000);
  const reply = await pRetry(
    async () => {
      const res = await fetch(`${baseUrl}/v2/chat`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'command-r', messages: [{ role: 'user', content: 'Hello' }] }),
        signal,
      });
      const body = await res.text();
      if (!res.ok) throw new ApiError(res.status, body, res.headers);
      return JSON.parse(body) as { message: { content: { text: string }[] } };
    },
    pRetryOptions(policy, { signal }),
  );
  return reply.message.content[0]?.text ?? '';
}

if (isEntry(import.meta.url)) runFromCli(main);
