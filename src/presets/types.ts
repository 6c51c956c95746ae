import type { Rule } from '../classify/rule.js';
import type { EndpointLimits } from '../limit/endpoints.js';
import type { ServerLimitsReader } from '../limit/server-watch.js';
import type { Limits } from '../limit/types.js';

/** Reads the usage a result reports (e.g. `{ tokens: 1_234 }`), for reconciling a reservation. */
export type UsageReader = (result: unknown) => Partial<Record<string, number>> | undefined;

/**
 * Reads the input and output tokens a result reports, billable ones first where the provider
 * reports both (Cohere's `billed_units`), for telemetry (`gen_ai.usage.input_tokens` & co).
 */
export type TokenUsageReader = (result: unknown) => { input?: number; output?: number } | undefined;

/** Estimates the token cost of a request from its arguments (e.g. an SDK call's request body). */
export type CostEstimator = (request: unknown) => number | undefined;

/**
 * What a provider preset contributes to `createPolicy(...)`. Spread it into the options:
 * `createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } })`.
 */
export interface Preset {
  /** Classification rules, tried after the user's own `rules` and before the generic HTTP rules. */
  classifier: readonly Rule[];
  /** The provider's rate limits for the chosen plan, if any. */
  limits?: Limits;
  usage?: UsageReader;
  estimate?: CostEstimator;
  /** The provider's name as OpenTelemetry's GenAI conventions spell it (`gen_ai.provider.name`): `'cohere'`. */
  provider?: string;
  /** Input and output tokens of a result, for telemetry. */
  tokenUsage?: TokenUsageReader;
  /** The provider's limits per endpoint (Cohere's), beside the shared `limits`. */
  endpoints?: EndpointLimits;
  /** Reads the provider's rate-limit headers (OpenAI's, Anthropic's); see `limiter.fromHeaders`. */
  serverLimits?: ServerLimitsReader;
}
