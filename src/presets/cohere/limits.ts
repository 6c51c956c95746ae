import { checkEndpoints, type EndpointLimits } from '../../limit/endpoints.js';
import type { LimitSpec, Limits } from '../../limit/types.js';
import { unknownName } from '../../validate.js';

/**
 * Cohere's rate limits, with their sources.
 *
 * - docs.cohere.com/docs/rate-limits (read 2026-12): per endpoint, trial / production: Chat
 *   20 / 500 req/min (per model; newer models "contact sales"), Embed 2,000 / 2,000 inputs/min,
 *   Rerank 10 / 1,000 req/min, Tokenize 100 / 2,000 req/min; trial keys 1,000 calls a month (an
 *   older page: "measured on a 30 day rolling window").
 * - Cohere's error catalogue (the 429 messages, reference/cohere-errors.txt): "You are using a
 *   Trial key, which is limited to 40 API calls / minute" and "trial token rate limit exceeded,
 *   limit is 100000 tokens per minute": key-wide, so they are the trial plan's shared limits.
 *   The docs' chat figure for trial (20/min) is not applied unless asked for (`endpoints`).
 */

const MINUTE = 60_000;
/** Cohere's month: a 30-day rolling window. */
export const MONTH_MS = 30 * 24 * 60 * MINUTE;

const per = (limit: number, windowMs = MINUTE): LimitSpec => Object.freeze({ limit, windowMs });

/** The endpoints `cohere({ endpoints })` knows (RunOptions.endpoint names them). */
export const COHERE_ENDPOINTS = ['chat', 'embed', 'rerank', 'tokenize', 'detokenize', 'classify'] as const;
export type CohereEndpoint = (typeof COHERE_ENDPOINTS)[number];

export const TRIAL_LIMITS: Limits = Object.freeze({ calls: per(40), tokens: per(100_000) });
/** The trial's monthly cap, shared by every endpoint (`monthly: true`). */
export const TRIAL_MONTHLY: Limits = Object.freeze({ 'calls/month': per(1_000, MONTH_MS) });

export const TRIAL_ENDPOINTS: EndpointLimits = Object.freeze({
  embed: Object.freeze({ inputs: per(2_000) }),
  rerank: Object.freeze({ calls: per(10) }),
  tokenize: Object.freeze({ calls: per(100) }),
});

export const PRODUCTION_ENDPOINTS: EndpointLimits = Object.freeze({
  chat: Object.freeze({ calls: per(500) }),
  embed: Object.freeze({ inputs: per(2_000) }),
  rerank: Object.freeze({ calls: per(1_000) }),
  tokenize: Object.freeze({ calls: per(2_000) }),
});

/** Checks `cohere({ endpoints })`: Cohere's endpoint names only, each checked like `limits`. */
export function checkCohereEndpoints(value: unknown, path: string): void {
  checkEndpoints(value, path);
  if (value === undefined) return;
  for (const name of Object.keys(value as object)) {
    if (!(COHERE_ENDPOINTS as readonly string[]).includes(name))
      throw unknownName(`${path}.${name}`, name, COHERE_ENDPOINTS, "one of Cohere's endpoints");
  }
}
