/**
 * The server's own wait, read from response headers or from the message text. Every parser here
 * is total: malformed, negative or NaN values are ignored (the result is `undefined`), never thrown
 * on. A long wait is not malformed: a hint of a year is a year (what the policy does with it is
 * `retry.maxRetryAfterMs`'s business). Every regular expression is linear-time.
 */
import { parseHttpDate } from './http-date.js';
import { resetWait } from './reset-hints.js';
import { NUMBER, parseDuration, sane } from './reset-value.js';

export { parseDuration } from './reset-value.js';

/** Header values longer than this are not parsed at all. */
const MAX_VALUE_LENGTH = 64;

function clean(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return v.length > 0 && v.length <= MAX_VALUE_LENGTH ? v : undefined;
}

/** `Retry-After`: delta-seconds (fractions allowed) or an HTTP date (read as GMT), relative to `now`. */
function retryAfter(value: string, now: number): number | undefined {
  if (NUMBER.test(value)) return sane(Number(value) * 1000);
  const at = parseHttpDate(value, now);
  return at === undefined ? undefined : sane(Math.max(0, at - now));
}

/**
 * The server's wait in ms from response headers (names lower-case), or `undefined`.
 *
 * Precedence (ky's, "server timing wins"): the first that is present **and valid** wins:
 * `retry-after-ms` (ms), `retry-after` (delta-seconds, or an HTTP date in any of RFC 9110's three
 * forms, always GMT), then the rate-limit reset headers, read together as dimensions (see
 * {@link resetWait}): OpenAI's `x-ratelimit-reset-{requests,tokens}`, the generic
 * `x-ratelimit-reset`, Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset`,
 * the IETF draft's `RateLimit` (`"default";r=0;t=30`, or the older `remaining=0, reset=30`) and
 * `RateLimit-Reset`. Of the dimensions whose remaining count is `0`, the **longest** reset wins (a
 * retry before it would draw another 429); when none reports `0`, the longest of those that report
 * no remaining count; a dimension whose remaining count is above 0 is not waited for. Reset values
 * may be seconds (`20`, `1.5`), a duration (`6m0s`, `250ms`), an epoch timestamp in seconds or ms
 * (recognised by size) or an RFC 3339 date-time. A date or epoch in the past gives `0`. A wait of
 * any length is returned as it is.
 *
 * @param now Clock time (ms since the epoch) that dates and epoch timestamps are measured from.
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now: number,
): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = (name: string) => clean(Object.hasOwn(headers, name) ? headers[name] : undefined);

  const ms = h('retry-after-ms');
  if (ms !== undefined && NUMBER.test(ms)) {
    const v = sane(Number(ms));
    if (v !== undefined) return v;
  }
  const ra = h('retry-after');
  if (ra !== undefined) {
    const v = retryAfter(ra, now);
    if (v !== undefined) return v;
  }
  return resetWait(headers, now);
}

/** "try again in 20s", "please wait 1.5 seconds", "retry after 250 ms", "try again in 6m0s". */
const TEXT_HINT = /\b(?:try again|retry|wait)\b[^\d\n]{0,24}?(\d[\w.]{0,24})(?:\s?([a-z]{1,12}))?/i;
const NUMBER_WITH_UNIT = /^(\d{1,9}(?:\.\d{1,9})?)([a-z]{0,12})$/;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

/**
 * A wait named in a message ("Please try again in 20s.", "please wait 1.5 seconds", "retry after
 * 6m0s") in ms, or `undefined`. A bare number ("try again in 20") is read as seconds. Only the
 * first hint is read; one with an unknown unit ("retry 3 times") gives `undefined`.
 */
export function parseRetryAfterText(message: string | undefined): number | undefined {
  if (typeof message !== 'string' || message.length === 0) return undefined;
  const m = TEXT_HINT.exec(message.length > 10_000 ? message.slice(0, 10_000) : message);
  if (!m) return undefined;
  const token = m[1]!.replace(/\.$/, '').toLowerCase();
  const next = m[2]?.toLowerCase();
  const simple = NUMBER_WITH_UNIT.exec(token);
  if (simple) {
    const unit = simple[2] || next;
    if (unit === undefined) return sane(Number(simple[1]) * 1000);
    const factor = UNIT_MS[unit];
    return factor === undefined ? undefined : sane(Number(simple[1]) * factor);
  }
  return parseDuration(token);
}
