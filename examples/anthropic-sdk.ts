/**
 * The Anthropic SDK under a steady policy: 429s and 529 `overloaded_error` retried with the
 * server's waits (the SDK's own retries switched off), an `overloaded_error` inside a stream
 * before its first content retried too, and `messages.stream()` as it was.
 *
 *   npm run example -- anthropic-sdk     # the local emulator; ANTHROPIC_API_KEY=... for the real API
 */
import Anthropic from '@anthropic-ai/sdk';
// In your code: `import { wrapClient } from 'steady/sdk'` and `import { anthropic, createPolicy } from 'steady'`.
import { wrapClient } from '../src/adapters/sdk/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { anthropic } from '../src/presets/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

/** Whose API this example calls (examples/lib/cli.ts reads ANTHROPIC_API_KEY). */
export const provider = 'anthropic';

/** One message and one streamed message; returns the streamed text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...anthropic(), retry: { maxAttempts: 6 } });
  policy.on('retry', (e) =>
    console.error(`retry after attempt ${e.attempt} (${e.verdict.reason}), waiting ${e.delayMs} ms`),
  );
  const client = wrapClient(new Anthropic({ apiKey, baseURL: baseUrl }), policy);
  const model = 'claude-haiku-4-5';

  const reply = await client.messages.create({
    model,
    max_tokens: 20,
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
  });
  const first = reply.content[0];
  console.log(first?.type === 'text' ? first.text : reply.stop_reason);

  const stream = client.messages
    .stream({ model, max_tokens: 60, messages: [{ role: 'user', content: 'Tell me a short story.' }] })
    .on('text', (text) => process.stdout.write(text));
  const message = await stream.finalMessage();
  process.stdout.write('\n');
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** It prints the reply and the stream as they come; the runner need not print the result. */
export const printsItself = true;

if (isEntry(import.meta.url)) runFromCli(main, { print: false, provider });
