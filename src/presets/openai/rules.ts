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
 * OpenAI's documented errors (https://platform.openai.com/docs/guides/error-codes), read from the
 * JSON body `{ "error": { "message", "type", "param", "code" } }` — or the inner object alone, as
 * openai's `APIError` keeps it — by `code` and `type` first, the message only where those are
 * missing. A streamed error (`data: {"error": {…}}` after a 200; openai's `APIError` with no
 * status) is read by its `type` the same way. Every pattern is linear-time.
 */

/** "maximum context length is 128000 tokens", "reduce the length of the messages". */
const CONTEXT = /\bmaximum\s+context\s+length\b|\bcontext[_\s]length[_\s]exceeded\b|\btoo\s+many\s+tokens\b/i;
/** "You exceeded your current quota, please check your plan and billing details". */
const QUOTA = /\bexceeded\s+your\s+current\s+quota\b|\binsufficient[_\s]quota\b|\bbilling\s+hard\s+limit\b/i;
/** "Rate limit reached for gpt-4o … on tokens per min (TPM)". */
const TOKENS = /\btokens?\s+per\s+(?:min(?:ute)?|day)\b|\bTP[MD]\b/i;
const REQUESTS = /\brequests?\s+per\s+(?:min(?:ute)?|day)\b|\bRP[MD]\b/i;

const fail = (reason: FailReason, scope: 'request' | 'account' = 'request'): Verdict =>
  Object.freeze({ action: 'fail', reason, scope });
const retry = (reason: RetryReason): Verdict => Object.freeze({ action: 'retry', reason });

/** By `code`: the most specific word the API gives. */
const BY_CODE: Readonly<Record<string, Verdict>> = {
  insufficient_quota: fail('quota-exhausted', 'account'),
  billing_hard_limit_reached: fail('quota-exhausted', 'account'),
  billing_not_active: fail('payment-required', 'account'),
  account_deactivated: fail('forbidden', 'account'),
  invalid_api_key: fail('unauthorized', 'account'),
  context_length_exceeded: fail('too-many-tokens'),
  string_above_max_length: fail('invalid-request'),
  model_not_found: fail('not-found'),
  unsupported_country_region_territory: fail('forbidden', 'account'),
};

/** By `type`, for streamed errors (no status) and bodies without a known code. */
const BY_TYPE: Readonly<Record<string, Verdict>> = {
  insufficient_quota: fail('quota-exhausted', 'account'),
  invalid_request_error: fail('invalid-request'),
  authentication_error: fail('unauthorized', 'account'),
  permission_error: fail('forbidden'),
  not_found_error: fail('not-found'),
  server_error: retry('server-error'),
  api_error: retry('server-error'),
  overloaded_error: retry('server-error'),
  timeout: retry('timeout'),
};

/** A 429 (or a streamed rate-limit error): a quota fails, a per-minute or per-day limit retries. */
function rateLimited(type: string | undefined, message: string | undefined): Verdict {
  if (message !== undefined && QUOTA.test(message)) return fail('quota-exhausted', 'account');
  // A rate-limit error names its dimension in `type` ("requests", "tokens", "tokens_usage_based").
  const limit: LimitDimension | undefined = type?.startsWith('token')
    ? 'tokens'
    : type?.startsWith('request')
      ? 'calls'
      : message !== undefined && TOKENS.test(message)
        ? 'tokens'
        : message !== undefined && REQUESTS.test(message)
          ? 'calls'
          : undefined;
  const verdict: RetryVerdict = { action: 'retry', reason: 'rate-limited' };
  if (limit !== undefined) verdict.limit = limit;
  return verdict;
}

/** OpenAI's error body, by code, then type, then status with the message's help. */
const openaiError: Rule = ({ status, body, message }) => {
  const { type, code } = errorFields(body);
  if (code !== undefined && Object.hasOwn(BY_CODE, code)) return BY_CODE[code];
  if (code === 'rate_limit_exceeded' || status === 429) return rateLimited(type, message);
  if ((status === 400 || status === undefined) && message !== undefined && CONTEXT.test(message)) {
    return fail('too-many-tokens');
  }
  // Retry-later errors with a 4xx-looking status the SDK retries too: 409 is a lock timeout.
  if (status === 409) return retry('server-error');
  // A streamed error has no status: its type is all there is.
  if (status === undefined && type !== undefined && Object.hasOwn(BY_TYPE, type)) return BY_TYPE[type];
  if (status === undefined && type !== undefined && (type === 'requests' || type === 'tokens')) {
    return rateLimited(type, message);
  }
  return undefined; // by status: the generic HTTP rules
};

/** OpenAI's rules, tried before the generic HTTP rules. */
export const openaiRules: readonly Rule[] = Object.freeze([openaiError]);
