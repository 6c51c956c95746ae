/** What classification decides about one outcome. */

export type RetryReason =
  | 'rate-limited'
  | 'cancelled'
  | 'stream-error'
  | 'server-error'
  | 'network'
  | 'timeout';

export type FailReason =
  | 'invalid-request'
  | 'too-many-tokens'
  | 'unauthorized'
  | 'forbidden'
  | 'payment-required'
  | 'not-found'
  | 'quota-exhausted'
  | 'aborted'
  | 'unclassified';

/** Every retry reason and every fail reason, for checking what a rule returns. */
export const RETRY_REASONS: ReadonlySet<string> = new Set<RetryReason>([
  'rate-limited',
  'cancelled',
  'stream-error',
  'server-error',
  'network',
  'timeout',
]);
export const FAIL_REASONS: ReadonlySet<string> = new Set<FailReason>([
  'invalid-request',
  'too-many-tokens',
  'unauthorized',
  'forbidden',
  'payment-required',
  'not-found',
  'quota-exhausted',
  'aborted',
  'unclassified',
]);

/** Which rate-limit dimension a 429 names, when its message says. */
export type LimitDimension = 'calls' | 'tokens';

interface VerdictBase {
  /** HTTP status, when there was one. */
  status?: number;
  /** The server's message (JSON `message` field or text body), when there was one. */
  message?: string;
}

export interface OkVerdict extends VerdictBase {
  action: 'ok';
}

export interface RetryVerdict extends VerdictBase {
  action: 'retry';
  reason: RetryReason;
  /** For `rate-limited`: which limit the message names. */
  limit?: LimitDimension;
  /** The server's own wait, from headers or message text. No jitter is added to it. */
  retryAfterMs?: number;
}

export interface FailVerdict extends VerdictBase {
  action: 'fail';
  reason: FailReason;
  /** `account`: every call on this key will fail the same way (401, 402, exhausted quota); opens the breaker. */
  scope: 'request' | 'account';
}

export type Verdict = OkVerdict | RetryVerdict | FailVerdict;

export const OK: OkVerdict = Object.freeze({ action: 'ok' }) as OkVerdict;
