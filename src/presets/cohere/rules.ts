import type { Rule } from '../../classify/rule.js';
import type { LimitDimension, RetryVerdict } from '../../classify/verdict.js';

/*
 * Cohere's documented errors (reference/cohere-errors.txt), matched on meaning rather than exact
 * strings: case-insensitive, any numbers and model names, any quote style, JSON or text bodies.
 * Every pattern is linear-time: alternatives start with distinct literals and the only
 * repetition between words is `\s+` / a bounded `{0,40}` gap, never a nested quantifier.
 */

/** 400 "too many tokens: …", "size limit exceeded by N tokens", "prompt is too long". */
export const TOO_MANY_TOKENS =
  /\btoo\s+many\s+(?:input\s+|prompt\s+|output\s+)?tokens\b|\bsize\s+limit\s+exceeded\b|\bprompt\s+is\s+too\s+long\b|\bcontext\s+(?:length|window)\s+exceeded\b/i;

/** A 429 (or 402) that cannot clear within minutes: a monthly or daily quota, a billing cap. */
export const QUOTA =
  /\bmonthly\b|\bdaily\b|\b(?:per|a|each|this|next|the)\s+(?:month|day)\b|\/\s*(?:month|day)\b|\bquota\b|\bmaximum\s+billing\b|\bbilling\s+(?:capacity|limit)\b|\bspend(?:ing)?\s+limit\b/i;

/** A 429 on tokens per minute: "token rate limit … 100000 tokens per minute". */
export const TOKENS_PER_MINUTE =
  /\btoken\s+rate\s+limit\b|\btokens?\b[^.\n]{0,40}?(?:\bper\s+min(?:ute)?\b|\/\s*min(?:ute)?\b|\ba\s+minute\b)|\bTPM\b/i;

/** A 429 on calls per minute: "per minute request limit", "40 API calls / minute". */
export const CALLS_PER_MINUTE =
  /\bper[\s-]+minute\s+(?:request|call)|\b(?:request|call)\s+rate\s+limit\b|\b(?:calls?|requests?)\b[^.\n]{0,40}?(?:\bper\s+min(?:ute)?\b|\/\s*min(?:ute)?\b|\ba\s+minute\b)|\bRPM\b/i;

/** A 499 that broke a stream: "streaming error - …". */
export const STREAM_ERROR = /\bstream(?:ing)?[\s_-]{0,3}error/i;

const has = (re: RegExp, message: string | undefined): boolean => message !== undefined && re.test(message);

/** 400 / 422: too many tokens, else an invalid request (whatever the wording or prefix). */
const badRequest: Rule = ({ status, message }) => {
  if (status !== 400 && status !== 422) return undefined;
  return has(TOO_MANY_TOKENS, message)
    ? { action: 'fail', reason: 'too-many-tokens', scope: 'request' }
    : { action: 'fail', reason: 'invalid-request', scope: 'request' };
};

/** 401: the key is missing, invalid or expired; every call on it fails the same way. */
const unauthorized: Rule = ({ status }) =>
  status === 401 ? { action: 'fail', reason: 'unauthorized', scope: 'account' } : undefined;

/** 402: a payment method is needed, or the monthly billing cap is reached (quota). */
const paymentRequired: Rule = ({ status, message }) => {
  if (status !== 402) return undefined;
  return has(QUOTA, message)
    ? { action: 'fail', reason: 'quota-exhausted', scope: 'account' }
    : { action: 'fail', reason: 'payment-required', scope: 'account' };
};

/** 404: a model, dataset, connector or route that does not exist. */
const notFound: Rule = ({ status }) =>
  status === 404 ? { action: 'fail', reason: 'not-found', scope: 'request' } : undefined;

/**
 * 429: a monthly / daily quota fails (scope account); a per-minute limit retries, naming the
 * dimension when the message does (`tokens` is checked first: it is the more specific wording).
 */
const tooManyRequests: Rule = ({ status, message }) => {
  if (status !== 429) return undefined;
  if (has(QUOTA, message)) return { action: 'fail', reason: 'quota-exhausted', scope: 'account' };
  const limit: LimitDimension | undefined = has(TOKENS_PER_MINUTE, message)
    ? 'tokens'
    : has(CALLS_PER_MINUTE, message)
      ? 'calls'
      : undefined;
  const verdict: RetryVerdict = { action: 'retry', reason: 'rate-limited' };
  if (limit !== undefined) verdict.limit = limit;
  return verdict;
};

/** 499: the server cancelled the request, or a stream broke; both are worth another attempt. */
const cancelled: Rule = ({ status, message }) => {
  if (status !== 499) return undefined;
  return has(STREAM_ERROR, message)
    ? { action: 'retry', reason: 'stream-error' }
    : { action: 'retry', reason: 'cancelled' };
};

/** Cohere's rules, tried before the generic HTTP rules. Outcomes without these statuses abstain. */
export const cohereRules: readonly Rule[] = Object.freeze([
  badRequest,
  unauthorized,
  paymentRequired,
  notFound,
  tooManyRequests,
  cancelled,
]);
