/**
 * The cohere-ai SDK under a steady policy: retries, backoff, rate limits and streams, with the
 * client you already use. Run it against the embedded emulator or the real API:
 *
 *   npm run example -- cohere-sdk        # the local emulator; COHERE_API_KEY=... for the real API
 */

import { CohereClientV2 } from 'cohere-ai';
// In your code: `import { wrapClient } from 'steady/sdk'` and `import { cohere, createPolicy } from 'steady'`.
import { wrapClient } from '../src/adapters/sdk/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { cohere } from '../src/presets/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

/** One chat and one streamed chat; returns the streamed text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
  policy.on('retry', (e) =>
    console.error(`retry after attempt ${e.attempt} (${e.verdict.reason}), waiting ${e.delayMs} ms`),
  );
  const co = wrapClient(new CohereClientV2({ token: apiKey, environment: baseUrl }), policy);
  const model = 'command-a-03-2025';

  const reply = await co.chat({
    model,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    maxTokens: 20,
  });
  const first = reply.message.content?.[0];
  console.log(first?.type === 'text' ? first.text : reply.finishReason);

  // Retried until its first event arrives; a failure after that throws StreamInterruptedError.
  let text = '';
  const stream = await co.chatStream({
    model,
    messages: [{ role: 'user', content: 'Tell me a short story.' }],
    maxTokens: 60,
  });
  for await (const event of stream) {
    if (event.type === 'content-delta') {
      const piece = event.delta?.message?.content?.text ?? '';
      text += piece;
      process.stdout.write(piece);
    }
  }
  process.stdout.write('\n');
  return text;
}

/** It prints the reply and the stream as they come; the runner need not print the result. */
export const printsItself = true;

if (isEntry(import.meta.url)) runFromCli(main, { print: false });
