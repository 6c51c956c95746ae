import type { Outcome } from './outcome.js';
import type { Rule } from './rule.js';
import type { FailVerdict, RetryReason, RetryVerdict, Verdict } from './verdict.js';

const retry = (reason: RetryReason): RetryVerdict => ({ action: 'retry', reason });
const fail = (reason: FailVerdict['reason'], scope: FailVerdict['scope'] = 'request'): FailVerdict => ({
  action: 'fail',
  reason,
  scope,
});

/** Statuses with a fixed meaning. 5xx not listed here retry as `server-error`. */
const BY_STATUS: Readonly<Record<number, () => Verdict>> = {
  400: () => fail('invalid-request'),
  401: () => fail('unauthorized', 'account'),
  402: () => fail('payment-required', 'account'),
  403: () => fail('forbidden'),
  404: () => fail('not-found'),
  405: () => fail('invalid-request'),
  408: () => retry('timeout'),
  410: () => fail('not-found'),
  413: () => fail('invalid-request'),
  414: () => fail('invalid-request'),
  415: () => fail('invalid-request'),
  422: () => fail('invalid-request'),
  429: () => retry('rate-limited'),
  499: () => retry('cancelled'),
  // The server will never do it: Not Implemented, HTTP Version Not Supported.
  501: () => fail('invalid-request'),
  505: () => fail('invalid-request'),
};

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/**
 * By HTTP status. Other 1xx, 3xx and 4xx abstain (and end as `fail/unclassified`).
 *
 * A 2xx is `ok` only for a response, never for an error that carries one (it has a `code` or a
 * `name`): got's `ReadError` or axios's `ECONNRESET` after a 200 head (the body was cut short), a
 * timeout mid-body, got's `ParseError`. Those go to the error rule, and abstain here.
 */
const statusRule: Rule = ({ status, code, name }) => {
  if (status === undefined) return undefined;
  if (is2xx(status)) return code === undefined && name === undefined ? { action: 'ok' } : undefined;
  const fixed = BY_STATUS[status];
  if (fixed) return fixed();
  if (status >= 500 && status < 600) return retry('server-error');
  return undefined;
};

/**
 * Connection-level failures, worth another attempt on a fresh connection. `ENOTFOUND` is here on
 * purpose: for a fixed API host it is far more often a flaky resolver (containers, serverless
 * cold starts) than a typo, and `maxAttempts` and the policy's retry budget (`budget`, shared by
 * every call: a fleet of callers with a real typo retries 100 times in all) bound its cost.
 */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  // undici: a body shorter (or longer) than its content-length, i.e. cut short.
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_NETWORK',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Timeouts by name: DOMException's, cohere-ai's, openai's and @anthropic-ai/sdk's, undici's three. */
const TIMEOUT_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'CohereTimeoutError',
  'APIConnectionTimeoutError',
  'ConnectTimeoutError',
  'HeadersTimeoutError',
  'BodyTimeoutError',
]);
/** undici's timeouts by code (under fetch they are the `cause` of `TypeError: fetch failed`). */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const ABORT_NAMES: ReadonlySet<string> = new Set([
  'AbortError',
  'CanceledError',
  'CancelError',
  'APIUserAbortError',
]);
const ABORT_CODES: ReadonlySet<string> = new Set([
  'ERR_CANCELED',
  'ABORT_ERR',
  'ERR_ABORTED',
  'UND_ERR_ABORTED',
  'UND_ERR_ABORT',
]);

/** axios's own timeout: `ECONNABORTED` (or `ETIMEDOUT` with clarifyTimeoutError), "timeout of 1000ms exceeded". */
const CLIENT_TIMEOUT_MESSAGE = /\btimeout\b[^\n]{0,40}\bexceeded\b|\btimed out\b/i;

/**
 * By error name and code, for outcomes with no HTTP status or a 2xx (an error after the response
 * head: the body broke, so the 2xx says nothing about the outcome). Timeouts (`TimeoutError`,
 * `CohereTimeoutError`, the SDKs' `APIConnectionTimeoutError`, undici's connect / headers / body
 * timeouts, and `ETIMEDOUT` / `ECONNABORTED` whose message says a timeout was exceeded) retry as
 * `timeout`; aborts (`AbortError`, `ERR_CANCELED`) fail as `aborted` — whether the abort
 * was the caller's or the per-attempt timeout is the policy loop's call, not the classifier's;
 * connection failures retry as `network`.
 */
const errorRule: Rule = ({ status, name, code, message }: Outcome) => {
  if (status !== undefined && !is2xx(status)) return undefined;
  if (name !== undefined && TIMEOUT_NAMES.has(name)) return retry('timeout');
  if ((name !== undefined && ABORT_NAMES.has(name)) || (code !== undefined && ABORT_CODES.has(code))) {
    return fail('aborted');
  }
  if (code === undefined) return undefined;
  if (TIMEOUT_CODES.has(code)) return retry('timeout');
  if ((code === 'ETIMEDOUT' || code === 'ECONNABORTED') && message && CLIENT_TIMEOUT_MESSAGE.test(message)) {
    return retry('timeout');
  }
  return NETWORK_CODES.has(code) ? retry('network') : undefined;
};

/**
 * The generic HTTP rules, tried after every preset's: 2xx → ok (a response, not an error carrying
 * one: a body cut short after a 2xx head is that error's failure, e.g. `network`); 408 → retry timeout; 429 → retry
 * rate-limited; 499 → retry cancelled; 5xx (except 501, 505) → retry server-error; 400, 405, 413–415,
 * 422, 501, 505 → fail invalid-request; 401 → unauthorized and 402 → payment-required (scope
 * account); 403 → forbidden; 404, 410 → not-found; network codes → retry network; timeouts → retry
 * timeout; aborts → fail aborted. Anything else abstains.
 */
export const httpRules: readonly Rule[] = Object.freeze([statusRule, errorRule]);
