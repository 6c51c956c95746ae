import { get, isObject } from '../../classify/safe.js';
import { countChars, nonNegative, SKIP_KEYS } from '../text.js';
import type { CostEstimator, UsageReader } from '../types.js';

/** Output tokens reserved for a generative request that sets no output cap (reconciled afterwards). */
export const DEFAULT_OUTPUT_TOKENS = 512;

/** Fields of a request whose text the model reads: Chat Completions, Responses, Completions, Embeddings. */
const TEXT_KEYS = ['messages', 'input', 'instructions', 'prompt'] as const;
/** Requests that generate text (embeddings have `input` but no output). */
const GENERATIVE_KEYS = ['messages', 'instructions', 'prompt'] as const;
const OUTPUT_KEYS = ['max_completion_tokens', 'max_output_tokens', 'max_tokens'] as const;
/** Not text the model reads as tokens: images, audio and files are counted by the server otherwise. */
const SKIP: ReadonlySet<string> = new Set([
  ...SKIP_KEYS,
  'input_audio',
  'file',
  'file_data',
  'file_id',
  'tool_call_id',
]);

/**
 * Estimates an OpenAI request's tokens: about one token per 4 characters of the text the model
 * reads (`messages` with their content parts, the Responses API's `input` and `instructions`,
 * `prompt`, an embedding's `input`), plus `max_completion_tokens` / `max_output_tokens` /
 * `max_tokens`, or {@link DEFAULT_OUTPUT_TOKENS} for a generative request that sets none. A
 * Responses API request (`model` and `input`, no `messages`) is generative unless it looks like an
 * embedding (`encoding_format` / `dimensions`). Returns an integer of at least 1, or `undefined`
 * when `request` is neither an object nor a string.
 */
export const estimateOpenAITokens: CostEstimator = (request) => {
  try {
    if (typeof request === 'string') return Math.max(1, Math.ceil(request.length / 4));
    if (!isObject(request)) return undefined;
    let chars = 0;
    for (const key of TEXT_KEYS) chars += countChars(get(request, key), SKIP);
    const embedding =
      get(request, 'encoding_format') !== undefined || get(request, 'dimensions') !== undefined;
    const generative =
      GENERATIVE_KEYS.some((k) => get(request, k) !== undefined) ||
      (get(request, 'input') !== undefined &&
        !embedding &&
        get(request, 'model') !== undefined &&
        !isEmbeddingModel(get(request, 'model')));
    let cap: number | undefined;
    for (const key of OUTPUT_KEYS) cap ??= nonNegative(get(request, key));
    const output = cap ?? (generative ? DEFAULT_OUTPUT_TOKENS : 0);
    return Math.max(1, Math.ceil(chars / 4) + Math.ceil(output));
  } catch {
    return undefined;
  }
};

function isEmbeddingModel(model: unknown): boolean {
  return typeof model === 'string' && model.includes('embedding');
}

/** input + output (prompt + completion) tokens of a `usage` object, else its `total_tokens`. */
function tokensOf(usage: unknown): number | undefined {
  if (!isObject(usage)) return undefined;
  const input = nonNegative(get(usage, 'input_tokens')) ?? nonNegative(get(usage, 'prompt_tokens'));
  const output = nonNegative(get(usage, 'output_tokens')) ?? nonNegative(get(usage, 'completion_tokens'));
  if (input !== undefined || output !== undefined) return (input ?? 0) + (output ?? 0);
  return nonNegative(get(usage, 'total_tokens'));
}

/**
 * Reads the tokens an OpenAI result reports, as `{ tokens }`: Chat Completions and Embeddings
 * `usage.prompt_tokens + completion_tokens`, the Responses API's `usage.input_tokens +
 * output_tokens`, a streamed chat chunk's `usage` (with `stream_options: { include_usage: true }`),
 * a Responses stream's `response.completed` event (`response.usage`), or `{ data, response }` from
 * `.withResponse()`. Cached input tokens are part of `prompt_tokens` / `input_tokens` and count:
 * OpenAI's rate limits count them. `undefined` when the result reports no usage.
 */
export const readOpenAIUsage: UsageReader = (result) => {
  if (!isObject(result)) return undefined;
  try {
    for (const container of [result, get(result, 'response'), get(result, 'data')]) {
      const tokens = tokensOf(get(container, 'usage'));
      if (tokens !== undefined) return { tokens };
    }
    return undefined;
  } catch {
    return undefined;
  }
};
