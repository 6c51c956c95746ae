import type { Limits } from '../../limit/types.js';
import { checkShape } from '../../validate.js';
import { limitsOption } from '../options.js';
import { anthropicServerLimits } from '../server-limits.js';
import type { Preset } from '../types.js';
import { anthropicRules } from './rules.js';
import { estimateAnthropicTokens, readAnthropicUsage } from './usage.js';

export interface AnthropicOptions {
  /**
   * Your organisation's limits, enforced client-side, e.g. `{ calls: { limit: 50, windowMs: 60_000 },
   * tokens: { limit: 30_000, windowMs: 60_000 } }`. Anthropic's limits depend on the usage tier
   * **and** the model class, count input and output tokens separately (ITPM, OTPM), and change over
   * time, so steady ships no tier table: read yours from the Console's limits page, or from the
   * `anthropic-ratelimit-*-limit` headers of any response. `tokens` here counts what the usage
   * reader reports (input, cache writes and output together). Checked like `createPolicy`'s `limits`.
   * @default no limits
   */
  limits?: Limits;
}

/**
 * The Anthropic preset: classification of Anthropic's documented errors by `error.type` (then the
 * generic HTTP rules): 529 `overloaded_error` and 500 `api_error` retry, `rate_limit_error`
 * retries, `enforced_spend_limit_reached` and other spending caps fail `quota-exhausted` and
 * `billing_error` (or "credit balance is too low") fails `payment-required`, both with scope
 * `account`; `invalid_request_error`, `authentication_error`, `permission_error`,
 * `not_found_error`, `request_too_large` fail. A streamed `event: error` is classified by the same
 * type. Also a usage reader (Messages, streamed `message_start` / `message_delta`) and a token
 * estimator for request bodies. The `anthropic-ratelimit-*-reset` hints and `x-should-retry` are
 * read for every policy. With `serverLimits`, the policy also reads the
 * `anthropic-ratelimit-{requests,tokens}-{limit,remaining}` headers after each response: limits not
 * given are learned, and another client's use of the key is charged to the ledger
 * (`limiter: { fromHeaders: false }` turns it off).
 *
 * @example
 * const policy = createPolicy({ ...anthropic(), retry: { maxAttempts: 4 } });
 */
export function anthropic(options: AnthropicOptions = {}): Preset {
  checkShape(options, 'anthropic', { limits: limitsOption });
  const preset: Preset = {
    classifier: anthropicRules,
    usage: readAnthropicUsage,
    estimate: estimateAnthropicTokens,
    serverLimits: anthropicServerLimits,
  };
  if (options.limits !== undefined) preset.limits = options.limits;
  return preset;
}
