import type { Rule } from '../../classify/rule.js';
import type {
  FailReason,
  LimitDimension,
  RetryReason,
  RetryVerdict,
  Verdict,
} from '../../classify/verdict.js';
import { errorFields } from '../error-fields.js';

/*
 * Anthropic's documented errors (https://docs.anthropic.com/en/api/errors), read from the JSON body
 * `{ "type": "error", "error": { "type", "message" } }` by `error.type`. The same body arrives in a
 * stream as `event: error` (@anthropic-ai/sdk throws an `APIError` with no status and that type),
 * so the type decides with or without a status. Every pattern is linear-time.
 */

/** "prompt is too long: 210000 tokens > 200000 maximum". */
const TOO_LONG = /\bprompt\s+is\s+too\s+long\b|\btoo\s+many\s+(?:input\s+)?tokens\b|\bcontext\s+window\b/i;
/** Account-wide billing failures sent as 400 / 429: a spend limit, no credit left. */
const BILLING =
  /\bspend(?:ing)?[\s_]limit\b|\bcredit\s+balance\s+is\s+too\s+low\b|\bbilling\b|\bplans?\s*&\s*billing\b/i;
/** A spending cap, not a per-minute limit: "You have reached your specified API usage limits. You will regain access on …". */
const SPEND = /\bspend(?:ing)?[\s_]limit\b|\bapi\s+usage\s+limits?\b|\bregain\s+access\b/i;
const OUTPUT_TOKENS = /\boutput\s+tokens?\b/i;
const TOKENS = /\btokens?\b[^.\n]{0,40}?\bper\s+min(?:ute)?\b|\bITPM\b|\bOTPM\b|\btokens?\s+rate\s+limit\b/i;
const REQUESTS = /\brequests?\b[^.\n]{0,40}?\bper\s+min(?:ute)?\b|\bRPM\b/i;

const fail = (reason: FailReason, scope: 'request' | 'account' = 'request'): Verdict =>
  Object.freeze({ action: 'fail', reason, scope });
const retry = (reason: RetryReason): Verdict => Object.freeze({ action: 'retry', reason });

/** Codes (in `error.type`, or `error.details.error_code`) that mean the account's spending is capped. */
const SPEND_CODES: ReadonlySet<string> = new Set([
  'enforced_spend_limit_reached',
  'spend_limit_reached',
  'billing_error',
  'credit_balance_too_low',
]);

const BY_TYPE: Readonly<Record<string, Verdict>> = {
  invalid_request_error: fail('invalid-request'),
  authentication_error: fail('unauthorized', 'account'),
  billing_error: fail('payment-required', 'account'),
  permission_error: fail('forbidden'),
  not_found_error: fail('not-found'),
  // 413: the request is larger than the API takes (32 MB for Messages): send less.
  request_too_large: fail('invalid-request'),
  api_error: retry('server-error'),
  overloaded_error: retry('server-error'),
  timeout_error: retry('timeout'),
};

/** A 429 `rate_limit_error`, naming its dimension when the message does. */
function rateLimited(message: string | undefined): Verdict {
  const verdict: RetryVerdict = { action: 'retry', reason: 'rate-limited' };
  const limit: LimitDimension | undefined =
    message === undefined
      ? undefined
      : TOKENS.test(message) || OUTPUT_TOKENS.test(message)
        ? 'tokens'
        : REQUESTS.test(message)
          ? 'calls'
          : undefined;
  if (limit !== undefined) verdict.limit = limit;
  return verdict;
}

const anthropicError: Rule = ({ status, body, message }) => {
  const { type, code } = errorFields(body);
  if ((type !== undefined && SPEND_CODES.has(type)) || (code !== undefined && SPEND_CODES.has(code))) {
    return fail(type === 'billing_error' ? 'payment-required' : 'quota-exhausted', 'account');
  }
  if (type === 'rate_limit_error' || (type === undefined && status === 429)) {
    return message !== undefined && (SPEND.test(message) || BILLING.test(message))
      ? fail('quota-exhausted', 'account')
      : rateLimited(message);
  }
  if (type === 'invalid_request_error' || (type === undefined && status === 400)) {
    if (message !== undefined && SPEND.test(message)) return fail('quota-exhausted', 'account');
    if (message !== undefined && BILLING.test(message)) return fail('payment-required', 'account');
    if (message !== undefined && TOO_LONG.test(message)) return fail('too-many-tokens');
  }
  if (type !== undefined && Object.hasOwn(BY_TYPE, type)) return BY_TYPE[type];
  // 529 without a body: Anthropic's "overloaded" status.
  if (status === 529) return retry('server-error');
  return undefined; // by status: the generic HTTP rules
};

/** Anthropic's rules, tried before the generic HTTP rules. */
export const anthropicRules: readonly Rule[] = Object.freeze([anthropicError]);
