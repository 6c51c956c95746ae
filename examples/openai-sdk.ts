/**
 * The openai SDK under a steady policy: the client you already use, its retries switched off and
 * steady's on (429s and 5xx retried with the server's waits, a stream retried until its first
 * content), `withResponse()` and the `chat.completions.stream()` helper as they were.
 *
 *   npm run example -- openai-sdk        # the local emulator; OPENAI_API_KEY=... for the real API
 */
import OpenAI from 'openai';
// In your code: `import { wrapClient } from 'steady/sdk'` and `import { createPolicy, openai } from 'steady'`.
import { wrapClient } from '../src/adapters/sdk/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { openai } from '../src/presets/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

/** Whose API this example calls (examples/lib/cli.ts reads OPENAI_API_KEY). */
export const provider = 'openai';

/** One chat and one streamed chat; returns the streamed text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({
    ...openai({ limits: { calls: { limit: 500, windowMs: 60_000 } } }),
    retry: { maxAttempts: 6, attemptTimeoutMs: 60_000 },
  });
  policy.on('retry', (e) =>
    console.error(`retry after attempt ${e.attempt} (${e.verdict.reason}), waiting ${e.delayMs} ms`),
  );
  const client = wrapClient(new OpenAI({ apiKey, baseURL: `${baseUrl}/v1` }), policy);
  const model = 'gpt-4o-mini';

  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 20 })
    .withResponse();
  console.log(
    data.choices[0]?.message.content,
    `(${response.headers.get('x-ratelimit-remaining-requests')} left)`,
  );

  // The helper's request goes through the policy too: retried until its first content arrives.
  const stream = client.chat.completions
    .stream({ model, messages: [{ role: 'user', content: 'Tell me a short story.' }], max_tokens: 60 })
    .on('content', (delta) => process.stdout.write(delta));
  const final = await stream.finalChatCompletion();
  process.stdout.write('\n');
  return final.choices[0]?.message.content ?? '';
}

/** It prints the reply and the stream as they come; the runner need not print the result. */
export const printsItself = true;

if (isEntry(import.meta.url)) runFromCli(main, { print: false, provider });
