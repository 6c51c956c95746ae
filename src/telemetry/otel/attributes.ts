import { get, str } from '../../classify/safe.js';
import type { Verdict } from '../../classify/verdict.js';
import { redaction } from '../../errors/redact.js';
import { describe } from '../../policy/outcomes.js';

/**
 * The attribute names steady/otel sets: OpenTelemetry's semantic conventions where they have one
 * (GenAI client spans and metrics, `error.type`, `http.request.resend_count`), `steady.*` for the
 * rest.
 */
export const ATTR = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  model: 'gen_ai.request.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
  resendCount: 'http.request.resend_count',
  /** `ok`, `retry` or `fail`: what steady decided about the attempt (or, on a call, how it ended). */
  verdict: 'steady.verdict',
  /** The verdict's reason (`rate-limited`, `server-error`, …). */
  reason: 'steady.reason',
  /** The attempt's number (1 is the first call), or on a call the attempts it made. */
  attempt: 'steady.attempt',
  attempts: 'steady.attempts',
  /** The token estimate the call reserved. */
  tokensEstimate: 'steady.tokens.estimate',
  /** After a failed attempt: the wait before the next one (max of backoff and hint), and the server's hint. */
  retryDelayMs: 'steady.retry.delay_ms',
  retryAfterMs: 'steady.retry.retry_after_ms',
  /** On a call: the waits before its retries, summed. */
  retryWaitMs: 'steady.retry.wait_ms',
  /** The limiter's wait before an attempt (summed, on a call) and the dimension that made it wait. */
  throttleDimension: 'steady.throttle.dimension',
  throttleWaitMs: 'steady.throttle.wait_ms',
  breakerState: 'steady.breaker.state',
} as const;

/** RunOptions.endpoint → `gen_ai.operation.name`, where the conventions name it; any other endpoint is kept as it is. */
const OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['chat', 'chat'],
  ['embed', 'embeddings'],
  ['embeddings', 'embeddings'],
  ['generate', 'text_completion'],
  ['completions', 'text_completion'],
]);

export function operationOf(endpoint: string | undefined): string | undefined {
  if (typeof endpoint !== 'string' || endpoint === '') return undefined;
  return OPERATIONS.get(endpoint) ?? endpoint;
}

/**
 * `error.type`: low in cardinality, as the conventions ask. The HTTP status the verdict saw (`429`),
 * else the error's string `code` (`ERR_RETRIES_EXHAUSTED`, `ECONNRESET`), else its name
 * (`AbortError`), else `_OTHER`.
 */
export function errorType(error: unknown, verdict: Verdict | undefined): string {
  if (verdict?.status !== undefined) return String(verdict.status);
  const code = get(error, 'code');
  // A string code only: a DOMException's numeric legacy code (an AbortError's 20) says less than its name.
  if (typeof code === 'string' && code !== '') return code.slice(0, 64);
  const name = str(get(error, 'name'));
  return name && name !== 'Error' ? name.slice(0, 64) : '_OTHER';
}

const MAX_MESSAGE = 500;

/**
 * The message a span's status shows for `error`: taken from its redacted copy (no API key,
 * credential header or cookie; `secrets` are the call's `RunOptions.secrets`), at most 500
 * characters. An error without a message (a `Response` thrown as it is) is described by its
 * verdict (`rate-limited (HTTP 429): …`, scrubbed as the events' are).
 */
export function shownMessage(
  error: unknown,
  secrets: readonly unknown[] | undefined,
  verdict?: Verdict | undefined,
): string {
  const shown = redaction(error, secrets).value;
  const message = str(get(shown, 'message')) ?? (typeof shown === 'string' ? shown : undefined);
  if (message !== undefined && message !== '') return message.slice(0, MAX_MESSAGE);
  if (verdict) return describe(verdict).slice(0, MAX_MESSAGE);
  return errorType(shown, undefined);
}
