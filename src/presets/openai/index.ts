import type { Limits } from '../../limit/types.js';
import { checkShape } from '../../validate.js';
import { limitsOption } from '../options.js';
import { openaiServerLimits } from '../server-limits.js';
import type { Preset } from '../types.js';
import { openaiRules } from './rules.js';
import { estimateOpenAITokens, readOpenAIUsage } from './usage.js';

export interface OpenAIOptions {
  /**
   * Your key's limits, enforced client-side, e.g. `{ calls: { limit: 500, windowMs: 60_000 },
   * tokens: { limit: 200_000, windowMs: 60_000 } }` for 500 RPM and 200k TPM. OpenAI's limits
   * depend on the usage tier **and** the model, and change over time, so steady ships no tier
   * table: read yours from the organisation's limits page, or from the `x-ratelimit-limit-requests`
   * / `x-ratelimit-limit-tokens` headers of any response. Checked like `createPolicy`'s `limits`.
   * @default no limits
   */
  limits?: Limits;
}

/**
 * The OpenAI preset: classification of OpenAI's documented errors (then the generic HTTP rules):
 * `insufficient_quota` (a 429) fails `quota-exhausted` with scope `account` instead of being
 * retried, `rate_limit_exceeded` retries naming its dimension (`type: "requests"` / `"tokens"`),
 * `context_length_exceeded` fails `too-many-tokens`, 409 retries, a streamed error is read by its
 * `type` (`server_error` retries, `invalid_request_error` fails); a usage reader (Chat
 * Completions, Responses, Embeddings, streamed usage) and a token estimator for request bodies.
 * The server's `x-ratelimit-reset-*` hints and `x-should-retry` are read for every policy.
 * With `serverLimits`, the policy also reads `x-ratelimit-{limit,remaining}-{requests,tokens}`
 * after each response: limits not given are learned, and another client's use of the key is
 * charged to the ledger (`limiter: { fromHeaders: false }` turns it off).
 *
 * @example
 * const policy = createPolicy({ ...openai({ limits: { calls: { limit: 500, windowMs: 60_000 } } }) });
 */
export function openai(options: OpenAIOptions = {}): Preset {
  checkShape(options, 'openai', { limits: limitsOption });
  const preset: Preset = {
    classifier: openaiRules,
    usage: readOpenAIUsage,
    estimate: estimateOpenAITokens,
    serverLimits: openaiServerLimits,
  };
  if (options.limits !== undefined) preset.limits = options.limits;
  return preset;
}
