import type { RetryVerdict, Verdict } from '../classify/verdict.js';

/** Before each attempt (attempt 1 is the first call). */
export interface AttemptEvent {
  attempt: number;
  /** Clock time the attempt starts. */
  startedAt: number;
}

/** An attempt failed with a retryable verdict; emitted before the wait begins. */
export interface RetryEvent {
  /** The attempt that failed. */
  attempt: number;
  verdict: RetryVerdict;
  /** How long steady waits before the next attempt: max(backoff, server hint). */
  delayMs: number;
  /** A redacted copy of the error the attempt threw (no credential in it); `rawCause(event)` is the original. */
  error: unknown;
}

/** The call resolved. */
export interface SuccessEvent {
  attempts: number;
  elapsedMs: number;
}

/** The call rejected; `error` is what the caller receives (redacted); `rawCause(event)` is its raw cause. */
export interface FailEvent {
  attempts: number;
  elapsedMs: number;
  error: unknown;
  verdict?: Verdict;
}

/** A call waited for the limiter. */
export interface ThrottleEvent {
  /** The dimension that made it wait (`calls`, `tokens`, …), or `pause` after a 429. */
  dimension: string;
  waitedMs: number;
  /** The attempt that waited. */
  attempt: number;
}

/** The circuit breaker changed state. */
export interface BreakerEvent {
  state: 'open' | 'half-open' | 'closed';
  verdict?: Verdict;
}

/**
 * The retry budget ran dry (a retry was refused for want of tokens) or recovered (refilled by
 * successes to half its capacity again). Emitted once per change, not per refused retry.
 */
export interface BudgetEvent {
  state: 'exhausted' | 'recovered';
  /** Tokens left after the change. */
  tokens: number;
  /** The budget's capacity (`budget.maxTokens`). */
  maxTokens: number;
}

/**
 * A server's rate-limit headers report a limit other than the one the policy enforces on that
 * dimension (once per new figure): either a limit the policy was not given, now enforced
 * (`learned: true`), or a configured one that differs (`learned: false`; the configured one stays).
 */
export interface LimitsEvent {
  /** steady's dimension: `calls`, `tokens`. */
  dimension: string;
  /** The limit the policy was given; undefined when there was none. */
  configured: number | undefined;
  /** The limit the server reports. */
  reported: number;
  windowMs: number;
  /** True when the policy now enforces `reported` (it had no limit of its own on `dimension`). */
  learned: boolean;
}

export interface PolicyEvents {
  attempt: AttemptEvent;
  retry: RetryEvent;
  success: SuccessEvent;
  fail: FailEvent;
  throttle: ThrottleEvent;
  breaker: BreakerEvent;
  budget: BudgetEvent;
  limits: LimitsEvent;
}

/** Every event name, for checking `on:` and `policy.on`. */
export const EVENT_NAMES: readonly PolicyEventName[] = Object.freeze([
  'attempt',
  'retry',
  'success',
  'fail',
  'throttle',
  'breaker',
  'budget',
  'limits',
]);

export type PolicyEventName = keyof PolicyEvents;
export type Listener<E extends PolicyEventName> = (event: PolicyEvents[E]) => void;
/** The `on:` option: one listener per event. */
export type PolicyHooks = { [E in PolicyEventName]?: Listener<E> };
