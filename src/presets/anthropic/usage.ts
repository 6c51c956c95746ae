import { get, isObject } from '../../classify/safe.js';
import { countChars, nonNegative, SKIP_KEYS } from '../text.js';
import type { CostEstimator, UsageReader } from '../types.js';

/** Output tokens reserved when a request has no `max_tokens` (the Messages API requires it; SDK wrappers may not). */
export const DEFAULT_OUTPUT_TOKENS = 1_024;

const TEXT_KEYS = ['system', 'messages', 'prompt'] as const;
/** Not text the model reads as tokens: images and documents (`source`) are counted by the server otherwise. */
const SKIP: ReadonlySet<string> = new Set([...SKIP_KEYS, 'source', 'cache_control', 'tool_use_id']);

/**
 * Estimates an Anthropic request's tokens: about one token per 4 characters of `system`,
 * `messages` (string contents and text blocks; image and document `source`s are left out) and the
 * legacy `prompt`, plus `max_tokens` (or `max_tokens_to_sample`), else
 * {@link DEFAULT_OUTPUT_TOKENS}. Returns an integer of at least 1, or `undefined` when `request`
 * is neither an object nor a string.
 */
export const estimateAnthropicTokens: CostEstimator = (request) => {
  try {
    if (typeof request === 'string') return Math.max(1, Math.ceil(request.length / 4));
    if (!isObject(request)) return undefined;
    let chars = 0;
    for (const key of TEXT_KEYS) chars += countChars(get(request, key), SKIP);
    const cap = nonNegative(get(request, 'max_tokens')) ?? nonNegative(get(request, 'max_tokens_to_sample'));
    return Math.max(1, Math.ceil(chars / 4) + Math.ceil(cap ?? DEFAULT_OUTPUT_TOKENS));
  } catch {
    return undefined;
  }
};

/**
 * Tokens of one `usage` object as rate limits count them: `input_tokens` (uncached input) +
 * `cache_creation_input_tokens` + `output_tokens`. `cache_read_input_tokens` are left out: for most
 * current models Anthropic does not count cache reads toward the input-tokens-per-minute limit.
 */
function tokensOf(usage: unknown): number | undefined {
  if (!isObject(usage)) return undefined;
  const input = nonNegative(get(usage, 'input_tokens'));
  const written = nonNegative(get(usage, 'cache_creation_input_tokens'));
  const output = nonNegative(get(usage, 'output_tokens'));
  if (input === undefined && written === undefined && output === undefined) return undefined;
  return (input ?? 0) + (written ?? 0) + (output ?? 0);
}

/**
 * Reads the tokens an Anthropic result reports, as `{ tokens }`: a Message's `usage`, a stream's
 * `message_start` (`message.usage`: the input, and the first output tokens) or `message_delta`
 * (`usage`: the output so far, and the input when the API repeats it), or `{ data, response }` from
 * `.withResponse()`. A stream's total is `message_start`'s input plus the last `message_delta`'s
 * output. `undefined` when the result reports no usage.
 *
 * **Gotcha**: `cache_read_input_tokens` are not counted (see above); pass your own `usage` to
 * `createPolicy` if your model's limits count them.
 */
export const readAnthropicUsage: UsageReader = (result) => {
  if (!isObject(result)) return undefined;
  try {
    for (const container of [result, get(result, 'message'), get(result, 'data')]) {
      const tokens = tokensOf(get(container, 'usage'));
      if (tokens !== undefined) return { tokens };
    }
    return undefined;
  } catch {
    return undefined;
  }
};
