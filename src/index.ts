/**
 * steady — retry, backoff and rate limiting for LLM API calls.
 * The core only: adapters live behind their own subpath exports (`steady/fetch`, `steady/got`, …).
 */

export type { Backoff, BackoffStep, ExponentialOptions, Jitter } from './backoff/index.js';
export { constant, exponential } from './backoff/index.js';
export type { BudgetOptions } from './budget/budget.js';
export {
  classify,
  classifyOutcome,
  parseRetryAfter,
  parseRetryAfterText,
  toOutcome,
} from './classify/index.js';
export type { Outcome } from './classify/outcome.js';
export type { Rule } from './classify/rule.js';
export type {
  FailReason,
  FailVerdict,
  LimitDimension,
  OkVerdict,
  RetryReason,
  RetryVerdict,
  Verdict,
} from './classify/verdict.js';
export type { Clock, Random } from './clock.js';
export { abortReason, mathRandom, systemClock } from './clock.js';
export {
  CircuitOpenError,
  CostExceedsLimitError,
  DeadlineExceededError,
  FatalError,
  isSteadyError,
  LimitsMismatchError,
  QueueFullError,
  RetriesExhaustedError,
  type RetriesStoppedBy,
  rawCause,
  SteadyError,
  StoreUnavailableError,
  StreamInterruptedError,
} from './errors/index.js';
export type {
  AttemptEvent,
  BreakerEvent,
  BudgetEvent,
  FailEvent,
  LimitsEvent,
  PolicyEventName,
  PolicyEvents,
  PolicyHooks,
  RetryEvent,
  SuccessEvent,
  ThrottleEvent,
} from './hooks/events.js';
export type { EndpointLimits } from './limit/endpoints.js';
export type {
  LimiterStore,
  MaybePromise,
  MemoryStoreOptions,
  ReserveResult,
  StoreBinding,
} from './limit/index.js';
export { createLimiter, MemoryStore } from './limit/index.js';
export type { CreateLimiterOptions, LimiterOptions } from './limit/options.js';
export type { ServerLimit, ServerLimitsReader } from './limit/server-watch.js';
export type {
  AcquireOptions,
  Cost,
  Limiter,
  LimitSpec,
  Limits,
  Reservation,
  TryAcquireResult,
} from './limit/types.js';
export type { CallHistory, Decision } from './policy/decide.js';
export type {
  AttemptContext,
  ClassifyOptions,
  PolicyLimiterOptions,
  PolicyOptions,
  RetryOptions,
  RunOptions,
} from './policy/options.js';
export { createPolicy, type Policy } from './policy/policy.js';
export {
  type AnthropicOptions,
  anthropic,
  type CohereOptions,
  cohere,
  http,
  httpRules,
  type OpenAIOptions,
  openai,
} from './presets/index.js';
export { anthropicServerLimits, openaiServerLimits } from './presets/server-limits.js';
export type { CostEstimator, Preset, TokenUsageReader, UsageReader } from './presets/types.js';
export { type LineLogger, type LogFields, type LogOptions, logTo } from './telemetry/log.js';
