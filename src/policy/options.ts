import type { Backoff } from '../backoff/types.js';
import type { BreakerOptions } from '../budget/breaker.js';
import type { BudgetOptions } from '../budget/budget.js';
import type { Rule } from '../classify/rule.js';
import type { Clock, Random } from '../clock.js';
import type { PolicyHooks } from '../hooks/events.js';
import type { EndpointLimits } from '../limit/endpoints.js';
import type { LimiterOptions } from '../limit/options.js';
import type { ServerLimitsReader } from '../limit/server-watch.js';
import type { Limiter, Limits, Reservation } from '../limit/types.js';
import type { CostEstimator, TokenUsageReader, UsageReader } from '../presets/types.js';

export interface RetryOptions {
  /** Attempts in all, the first call included (attempt 1 is the first call). 1 means never retry. @default 5 */
  maxAttempts?: number;
  /**
   * One deadline over the whole call: queueing, attempts and waits. steady never sleeps past it
   * (a wait that would cross it fails at once with `DeadlineExceededError`) and cuts the last
   * attempt's timeout to what is left. @default Infinity (bounded by maxAttempts alone)
   */
  maxElapsedMs?: number;
  /** Per-attempt timeout; the attempt's `signal` aborts when it fires and the attempt counts as a `timeout`. @default none */
  attemptTimeoutMs?: number;
  /** The wait before each retry, before the server's hint is applied. @default exponential({ baseMs: 500, maxMs: 30_000, jitter: 'full' }) */
  backoff?: Backoff;
  /**
   * The longest server hint (Retry-After & co) steady will honour. A hint above it means the
   * server will not take the call for a long while: steady gives up at once with
   * `RetriesExhaustedError` rather than sleep that long or retry early into a certain failure.
   * @default 60_000
   */
  maxRetryAfterMs?: number;
}

export interface ClassifyOptions {
  /**
   * How much of an error response's body is read and looked at: steady/fetch reads at most this
   * many bytes of a non-2xx body and cancels the rest of the stream (`HttpError.body` holds what
   * was read); a body already in memory (got, axios, cohere-ai) is looked at up to here. A JSON
   * body longer than this is read as text. An integer >= 0, or Infinity. @default 65_536 (64 KiB)
   */
  maxBodyBytes?: number;
}

export interface PolicyOptions {
  /** Your own classification rules, tried before the preset's: return a verdict to decide, `undefined` to fall through. */
  rules?: readonly Rule[];
  /** The preset's rules (set by spreading a preset such as `cohere()`); the generic HTTP rules always come last. */
  classifier?: readonly Rule[];
  retry?: RetryOptions;
  /** How much of a response classification reads. */
  classify?: ClassifyOptions;
  /** Rate limits to stay inside, per named dimension (`calls`, `tokens`, …). No limits → no limiter. */
  limits?: Limits;
  /** How the built-in limiter queues and keeps its ledger, or a `Limiter` of your own. */
  limiter?: PolicyLimiterOptions | Limiter;
  /** Limits per endpoint, set by presets (`cohere({ plan: 'trial' })`); `limiter.endpoints` overrides them per endpoint. */
  endpoints?: EndpointLimits;
  /** Reads the server's rate-limit headers into limits, set by presets (`openai()`, `anthropic()`); see `limiter.fromHeaders`. */
  serverLimits?: ServerLimitsReader;
  /** Reads real usage from a result to reconcile the token reservation (presets set it). */
  usage?: UsageReader;
  /** Estimates the token cost of a request (presets set it; adapters use it). */
  estimate?: CostEstimator;
  /** The provider's name in OpenTelemetry's GenAI conventions (`gen_ai.provider.name`), for steady/otel (presets set it). */
  provider?: string;
  /** Reads a result's input and output tokens, for steady/otel (presets set it). */
  tokenUsage?: TokenUsageReader;
  /** The account-wide circuit breaker; `false` turns it off. @default { cooldownMs: 30_000 } */
  breaker?: BreakerOptions | false;
  /**
   * The retry budget shared by every call of the policy: each retry spends from it (5 tokens, 10 after
   * a timeout), each success gives 1 back, and a retry it cannot pay for is not made (the call ends
   * with `RetriesExhaustedError`, `stoppedBy: 'budget'`). A total outage then costs at most 100
   * retries in all instead of `maxAttempts - 1` per call. `false` turns it off.
   * @default { maxTokens: 500, retryCost: 5, timeoutCost: 10 }
   */
  budget?: BudgetOptions | false;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** One listener per event, as if passed to `policy.on`. */
  on?: PolicyHooks;
}

/** The policy's `limiter` options: the built-in limiter's, and two that only a policy has. */
export interface PolicyLimiterOptions extends LimiterOptions {
  /**
   * Read the server's rate-limit headers after every response (the preset's `serverLimits` reader:
   * OpenAI's `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`): limits not given are learned
   * and enforced; when the server's `remaining` shows the key more used than the ledger counts
   * (another client on the same key), the ledger is charged the difference at once; a reported
   * limit other than the configured one emits `limits`. Learning needs the default store (a store
   * of your own is still corrected, if it has `observe`). `false` turns it off.
   * @default true when the preset has a reader (openai(), anthropic()), else off
   */
  fromHeaders?: boolean;
  /**
   * Limits per endpoint, on top of `limits` (which every endpoint shares): a call reserves on its
   * `RunOptions.endpoint`'s limits too (`wrapClient` names them after the method: `chat`,
   * `embed`, `rerank`). A dimension `<base>/<label>` (`calls/month`) counts the units of `<base>`
   * in a window of its own. Overrides a preset's endpoints one endpoint at a time.
   * @example { chat: { calls: { limit: 40, windowMs: 60_000 } }, embed: { inputs: { limit: 2_000, windowMs: 60_000 } } }
   */
  endpoints?: EndpointLimits;
}

/** Per-call options for `policy.run`. */
export interface RunOptions {
  /**
   * Estimated tokens this call will use, reserved on the `tokens` limit and reconciled from the
   * response. `undefined` (e.g. `policy.estimate(req)` without a preset) reserves none.
   */
  tokens?: number | undefined;
  /** Other dimensions' costs, when the policy has custom limits. `calls` defaults to 1. */
  cost?: Readonly<Record<string, number>>;
  /** Aborts the call wherever it is (queued, in flight, waiting); it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Lower runs first when calls queue for the limiter. @default 0 */
  priority?: number | undefined;
  /**
   * The API endpoint this call goes to (`'chat'`, `'embed'`, `'rerank'`, …), for a policy whose
   * limits differ per endpoint: the call reserves on that endpoint's limits. The SDK adapter sets
   * it from the method it wraps. @default the policy's own limits
   */
  endpoint?: string | undefined;
  /**
   * The model this call asks for (`'command-a-03-2025'`), for telemetry only: steady/otel names the
   * call's span after it and sets `gen_ai.request.model`. steady/fetch reads it from a JSON body's
   * `model`. @default unknown
   */
  model?: string | undefined;
  /**
   * Where the result keeps what the preset's `usage` reader reads (adapters set it: e.g. axios's
   * `response.data`). @default the result itself
   */
  usageOf?: (result: any) => unknown;
  /**
   * Secrets of this call that steady's errors and events must never show, on top of the
   * credential headers it finds in the error itself (got's options, axios's config): strings (an
   * API key), or headers (a record, a `Headers`, `[name, value]` pairs) whose credential headers
   * count. Read only when an attempt fails. The fetch and SDK adapters set it (request headers,
   * the client's token).
   */
  secrets?: readonly unknown[];
}

/** What `fn` receives on each attempt. */
export interface AttemptContext {
  /** Aborts when the caller aborts or the attempt times out: pass it on to the request. */
  signal: AbortSignal;
  /** 1 for the first call, 2 for the first retry, … */
  attempt: number;
  /**
   * Takes over this attempt's limiter reservation: the loop will then neither commit nor refund it,
   * and you must call `commit(usage)` or `refund()` yourself, once, e.g. when a stream you returned
   * ends and reports its usage. Without a limiter it returns a reservation that does nothing.
   */
  takeReservation(): Reservation;
}
