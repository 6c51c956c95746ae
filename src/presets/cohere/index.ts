import type { EndpointLimits } from '../../limit/endpoints.js';
import type { Limits } from '../../limit/types.js';
import { checkShape, invalid, oneOf } from '../../validate.js';
import type { Preset } from '../types.js';
import {
  type CohereEndpoint,
  checkCohereEndpoints,
  PRODUCTION_ENDPOINTS,
  TRIAL_ENDPOINTS,
  TRIAL_LIMITS,
  TRIAL_MONTHLY,
} from './limits.js';
import { cohereRules } from './rules.js';
import { estimateCohereTokens, readCohereTokenUsage, readCohereUsage } from './usage.js';

export interface CohereOptions {
  /**
   * The kind of API key, for its limits (figures and sources in `presets/cohere/limits.ts`):
   * - `'trial'`: 40 calls and 100,000 tokens per rolling minute on the key (the figures of Cohere's
   *   429 messages), and per endpoint rerank 10 calls, tokenize 100 calls, embed 2,000 inputs a minute.
   * - `'production'`: per endpoint chat 500 calls, rerank 1,000 calls, tokenize 2,000 calls, embed
   *   2,000 inputs a minute (Cohere's docs; chat's figure is for Command A / R models).
   * - left out: no limits at all (the classifier and usage reader only).
   *
   * Per-endpoint limits apply to calls that name their endpoint (`RunOptions.endpoint`; `wrapClient`
   * does); `inputs` is charged from `RunOptions.cost.inputs` (the number of texts to embed;
   * `wrapClient` fills it in from an `embed` call's texts, images and inputs).
   * @default no limits
   */
  plan?: 'trial' | 'production';
  /** With `plan: 'trial'`: also 1,000 calls per 30 days over every endpoint (`calls/month`). @default false */
  monthly?: boolean;
  /** Your own limits for some endpoints, replacing the plan's for those endpoints, e.g. `{ chat: { calls: { limit: 20, windowMs: 60_000 } } }`. */
  endpoints?: Partial<Record<CohereEndpoint, Limits>>;
}

/**
 * The Cohere preset: classification of every documented Cohere error (then the generic HTTP
 * rules), the plan's limits (shared and per endpoint), a usage reader (v2 `usage`, v1
 * `meta.billed_units`, streaming `message-end`) and a token estimator for request bodies; for
 * steady/otel, its name (`cohere`) and a reader of input and output tokens.
 *
 * @example
 * const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
 */
export function cohere(options: CohereOptions = {}): Preset {
  checkShape(options, 'cohere', {
    plan: oneOf(['trial', 'production']),
    monthly: (v, path) => {
      if (v !== undefined && typeof v !== 'boolean') throw invalid(path, 'true or false', v);
    },
    endpoints: checkCohereEndpoints,
  });
  const { plan, monthly = false } = options;
  if (monthly && plan !== 'trial')
    throw new TypeError("steady: cohere.monthly is the trial keys' monthly cap: set plan: 'trial' with it");
  const preset: Preset = {
    classifier: cohereRules,
    usage: readCohereUsage,
    estimate: estimateCohereTokens,
    provider: 'cohere',
    tokenUsage: readCohereTokenUsage,
  };
  let endpoints: EndpointLimits | undefined;
  if (plan === 'trial') {
    preset.limits = monthly ? { ...TRIAL_LIMITS, ...TRIAL_MONTHLY } : TRIAL_LIMITS;
    endpoints = TRIAL_ENDPOINTS;
  } else if (plan === 'production') endpoints = PRODUCTION_ENDPOINTS;
  if (options.endpoints) endpoints = { ...endpoints, ...(options.endpoints as EndpointLimits) };
  if (endpoints) preset.endpoints = endpoints;
  return preset;
}
