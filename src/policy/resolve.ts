import { exponential } from '../backoff/exponential.js';
import type { Backoff } from '../backoff/types.js';
import { Breaker } from '../budget/breaker.js';
import { RetryBudget } from '../budget/budget.js';
import { DEFAULT_MAX_BODY_BYTES } from '../classify/body.js';
import type { Rule } from '../classify/rule.js';
import { type Clock, mathRandom, type Random, systemClock } from '../clock.js';
import { Emitter } from '../hooks/emitter.js';
import type { EndpointRouter } from '../limit/endpoints.js';
import type { ServerWatch } from '../limit/server-watch.js';
import type { Limiter } from '../limit/types.js';
import type { CostEstimator, TokenUsageReader, UsageReader } from '../presets/types.js';
import type { Around } from './around.js';
import { checkPolicyOptions } from './check-options.js';
import { setupLimiter } from './limiter-setup.js';
import type { PolicyOptions } from './options.js';

/** The options of a policy, checked and with every default filled in. */
export interface Resolved {
  rules: readonly Rule[];
  /** The option a rule came from, by its index in `rules`: `rules[1]`, `classifier[0]`. */
  ruleName: (index: number) => string;
  maxAttempts: number;
  maxElapsedMs: number;
  attemptTimeoutMs: number;
  backoff: Backoff;
  maxRetryAfterMs: number;
  maxBodyBytes: number;
  limiter: Limiter | undefined;
  /** Routes a call's cost onto its endpoint's limits; undefined without per-endpoint limits. */
  route: EndpointRouter | undefined;
  /** Reads the server's rate-limit headers after each attempt; undefined when off. */
  watch: ServerWatch | undefined;
  breaker: Breaker | undefined;
  budget: RetryBudget | undefined;
  usage: UsageReader | undefined;
  estimate: CostEstimator | undefined;
  /** For telemetry: the provider's name (`gen_ai.provider.name`) and its input / output token reader. */
  provider: string | undefined;
  tokenUsage: TokenUsageReader | undefined;
  clock: Clock;
  random: Random;
  emitter: Emitter;
  /** Set by instrumentation (`addAround`); undefined unless something is instrumenting the policy. */
  around: Around | undefined;
}

/** Checks every option at construction (each error names the option by its path) and fills in the defaults. */
export function resolveOptions(options: PolicyOptions = {}): Resolved {
  checkPolicyOptions(options);
  const retry = options.retry ?? {};
  const { maxAttempts = 5, maxElapsedMs = Number.POSITIVE_INFINITY, maxRetryAfterMs = 60_000 } = retry;
  const maxBodyBytes = options.classify?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const own = options.rules ?? [];
  const clock = options.clock ?? systemClock;
  const emitter = new Emitter(options.on);

  const { limiter, route, watch } = setupLimiter(options, clock, emitter);
  const resolved: Resolved = {
    rules: [...own, ...(options.classifier ?? [])],
    ruleName: (i) => (i < own.length ? `rules[${i}]` : `classifier[${i - own.length}]`),
    maxAttempts,
    maxElapsedMs,
    attemptTimeoutMs: retry.attemptTimeoutMs ?? Number.POSITIVE_INFINITY,
    backoff: retry.backoff ?? exponential(),
    maxRetryAfterMs,
    maxBodyBytes,
    limiter,
    route,
    watch,
    breaker:
      options.breaker === false
        ? undefined
        : new Breaker(options.breaker?.cooldownMs ?? 30_000, clock, emitter),
    budget: options.budget === false ? undefined : new RetryBudget(options.budget ?? {}, emitter),
    usage: options.usage,
    estimate: options.estimate,
    provider: options.provider,
    tokenUsage: options.tokenUsage,
    clock,
    random: options.random ?? mathRandom,
    emitter,
    around: undefined,
  };
  // The watch replaces the limiter when it learns a limit from the server's headers.
  if (watch) watch.host = resolved;
  return resolved;
}
