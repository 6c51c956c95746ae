/**
 * The Vercel AI SDK with steady as its providers' `fetch`: `generateText` and `streamText` retried
 * and rate-limited by steady. The AI SDK's own retries are turned off (`maxRetries: 0`): steady's
 * final errors say `isRetryable: false`, but a dropped connection would still be retried by both.
 *
 *   npm run example -- ai-sdk            # the local emulator; OPENAI_API_KEY=... for the real API
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
// In your code: `import { steadyFetch } from 'steady/fetch'` and `import { createPolicy, openai } from 'steady'`.
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { openai } from '../src/presets/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

/** Whose API this example calls (examples/lib/cli.ts reads OPENAI_API_KEY). */
export const provider = 'openai';

/** One generateText and one streamText; returns the streamed text. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  const policy = createPolicy({ ...openai(), retry: { maxAttempts: 6 } });
  policy.on('retry', (e) =>
    console.error(`retry after attempt ${e.attempt} (${e.verdict.reason}), waiting ${e.delayMs} ms`),
  );
  const model = createOpenAI({ apiKey, baseURL: `${baseUrl}/v1`, fetch: steadyFetch(policy) }).chat(
    'gpt-4o-mini',
  );

  const { text } = await generateText({ model, prompt: 'Say hello in five words.', maxRetries: 0 });
  console.log(text);

  // Retried until its first content; a failure after that ends the stream with StreamInterruptedError.
  const result = streamText({ model, prompt: 'Tell me a short story.', maxOutputTokens: 60, maxRetries: 0 });
  let story = '';
  for await (const piece of result.textStream) {
    story += piece;
    process.stdout.write(piece);
  }
  process.stdout.write('\n');
  return story;
}

/** It prints the reply and the stream as they come; the runner need not print the result. */
export const printsItself = true;

if (isEntry(import.meta.url)) runFromCli(main, { print: false, provider });
