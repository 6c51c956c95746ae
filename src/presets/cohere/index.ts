import type { Limits } from '../../limit/types.js';
import { checkShape, oneOf } from '../../validate.js';
import type { Preset } from '../types.js';
import { cohereRules } from './rules.js';
import { estimateCohereTokens, readCohereTokenUsage, readCohereUsage } from './usage.js';

export interface CohereOptions {
  /**
   * The kind of API key. `'trial'` sets the limits trial keys report in their 429 messages:
   * 40 calls and 100,000 tokens per rolling minute. `'production'` sets no limits: production
   * limits differ per endpoint and per model (Cohere's docs list e.g. Chat 500 req/min, Embed
   * 2,000 inputs/min, Rerank 1,000 req/min, and "contact sales" for newer models) and change over
   * time, so pass your own `limits` to `createPolicy` if you want them enforced client-side.
   *
   * **Gotchas**: trial keys are also capped per month (1,000 calls at the time of writing); that
   * cap is not a limit here: hitting it is classified `fail / quota-exhausted` (scope account).
   * @default 'production'
   */
  plan?: 'trial' | 'production';
}

const TRIAL_LIMITS: Limits = Object.freeze({
  calls: Object.freeze({ limit: 40, windowMs: 60_000 }),
  tokens: Object.freeze({ limit: 100_000, windowMs: 60_000 }),
});

/**
 * The Cohere preset: classification of every documented Cohere error (then the generic HTTP
 * rules), the plan's limits, a usage reader (v2 `usage`, v1 `meta.billed_units`, streaming
 * `message-end`) and a token estimator for request bodies; for steady/otel, its name (`cohere`)
 * and a reader of input and output tokens.
 *
 * @example
 * const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
 */
export function cohere(options: CohereOptions = {}): Preset {
  checkShape(options, 'cohere', { plan: oneOf(['trial', 'production']) });
  const plan = options.plan ?? 'production';
  const preset: Preset = {
    classifier: cohereRules,
    usage: readCohereUsage,
    estimate: estimateCohereTokens,
    provider: 'cohere',
    tokenUsage: readCohereTokenUsage,
  };
  if (plan === 'trial') preset.limits = TRIAL_LIMITS;
  return preset;
}
