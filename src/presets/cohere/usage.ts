import { get, isObject } from '../../classify/safe.js';
import { countChars, nonNegative } from '../text.js';
import type { CostEstimator, TokenUsageReader, UsageReader } from '../types.js';

/**
 * Output tokens reserved for a generative request (one with `messages`, `message` or `prompt`)
 * that sets no `max_tokens`. The reservation is reconciled with the reported usage afterwards, so
 * this only has to be a fair guess at a typical answer, not a bound.
 */
export const DEFAULT_OUTPUT_TOKENS = 512;

/** Request fields whose text the model reads (snake_case as sent, camelCase as the SDK takes it). */
const TEXT_KEYS = [
  'messages',
  'message',
  'chat_history',
  'chatHistory',
  'preamble',
  'documents',
  'texts',
  'inputs',
  'prompt',
  'query',
] as const;
const GENERATIVE_KEYS = ['messages', 'message', 'prompt'] as const;

/**
 * Estimates a Cohere request's tokens: about one token per 4 characters of the text the model
 * reads (message contents, including arrays of content parts, `message`, `chat_history`,
 * `preamble`, `documents`, `texts`, `inputs`, `prompt`, `query`), plus `max_tokens` /
 * `maxTokens`, or {@link DEFAULT_OUTPUT_TOKENS} for a generative request that sets neither
 * (embed, rerank and classify produce no output tokens). A string is read as input text. Returns
 * an integer of at least 1, or `undefined` when `request` is neither an object nor a string.
 */
export const estimateCohereTokens: CostEstimator = (request) => {
  try {
    if (typeof request === 'string') return Math.max(1, Math.ceil(request.length / 4));
    if (!isObject(request)) return undefined;
    let chars = 0;
    for (const key of TEXT_KEYS) chars += countChars(get(request, key));
    const generative = GENERATIVE_KEYS.some((k) => get(request, k) !== undefined);
    const maxTokens = nonNegative(get(request, 'max_tokens')) ?? nonNegative(get(request, 'maxTokens'));
    const output = maxTokens ?? (generative ? DEFAULT_OUTPUT_TOKENS : 0);
    return Math.max(1, Math.ceil(chars / 4) + Math.ceil(output));
  } catch {
    return undefined;
  }
};

/** Input and output tokens from a `{ billed_units, tokens }` container, billed units first. */
function tokensIn(container: unknown): { input?: number; output?: number } | undefined {
  if (!isObject(container)) return undefined;
  for (const group of [
    get(container, 'billed_units'),
    get(container, 'billedUnits'),
    get(container, 'tokens'),
  ]) {
    const input = nonNegative(get(group, 'input_tokens')) ?? nonNegative(get(group, 'inputTokens'));
    const output = nonNegative(get(group, 'output_tokens')) ?? nonNegative(get(group, 'outputTokens'));
    if (input !== undefined || output !== undefined) {
      const counts: { input?: number; output?: number } = {};
      if (input !== undefined) counts.input = input;
      if (output !== undefined) counts.output = output;
      return counts;
    }
  }
  return undefined;
}

/**
 * The input and output tokens a Cohere result reports, from the containers `readCohereUsage`
 * reads, `billed_units` before `tokens` (the billable count, as OpenTelemetry's GenAI conventions
 * ask). `undefined` when it reports none.
 */
export const readCohereTokenUsage: TokenUsageReader = (result) => {
  if (!isObject(result)) return undefined; // a bare value reports nothing
  try {
    const data = get(result, 'data');
    for (const container of [
      get(result, 'usage'),
      get(get(result, 'delta'), 'usage'),
      get(result, 'meta'),
      get(get(result, 'response'), 'meta'),
      get(data, 'usage'),
      get(data, 'meta'),
    ]) {
      const counts = tokensIn(container);
      if (counts) return counts;
    }
    return undefined;
  } catch {
    return undefined;
  }
};

/**
 * Reads the tokens a Cohere result reports, as `{ tokens }`: v2 `usage` (chat), a streaming
 * `message-end` event's `delta.usage`, v1 `meta` (chat, embed, …) or a v1 `stream-end` event's
 * `response.meta`; snake_case (raw HTTP) or camelCase (cohere-ai SDK). `billed_units` is preferred
 * over `tokens` when both are present. `undefined` when the result reports no tokens (e.g. rerank,
 * which bills search units).
 */
export const readCohereUsage: UsageReader = (result) => {
  const counts = readCohereTokenUsage(result);
  return counts ? { tokens: (counts.input ?? 0) + (counts.output ?? 0) } : undefined;
};
