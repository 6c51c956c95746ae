import { parseReset } from './reset-value.js';

/**
 * Rate-limit reset headers, read as dimensions: each has a reset (the wait until it has room
 * again) and maybe a remaining count. Header names are lower-case.
 */

/** Header values longer than this are not parsed at all (a structured `RateLimit` may list several policies). */
const MAX_VALUE_LENGTH = 64;
const MAX_STRUCTURED_LENGTH = 1_024;
/** At most this many policies of one `RateLimit` field are read. */
const MAX_POLICIES = 16;

interface Dimension {
  /** The wait until this dimension has room again, in ms. */
  resetMs: number;
  /** The remaining count the server reported, when it did. */
  remaining?: number;
}

/** [reset header, remaining header] pairs whose reset value is seconds, a duration, an epoch or RFC 3339. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['x-ratelimit-reset-requests', 'x-ratelimit-remaining-requests'],
  ['x-ratelimit-reset-tokens', 'x-ratelimit-remaining-tokens'],
  ['x-ratelimit-reset', 'x-ratelimit-remaining'],
  ['anthropic-ratelimit-requests-reset', 'anthropic-ratelimit-requests-remaining'],
  ['anthropic-ratelimit-tokens-reset', 'anthropic-ratelimit-tokens-remaining'],
  ['anthropic-ratelimit-input-tokens-reset', 'anthropic-ratelimit-input-tokens-remaining'],
  ['anthropic-ratelimit-output-tokens-reset', 'anthropic-ratelimit-output-tokens-remaining'],
  // draft-ietf-httpapi-ratelimit-headers up to -06: delta-seconds.
  ['ratelimit-reset', 'ratelimit-remaining'],
];

const COUNT = /^\d{1,15}$/;

function value(headers: Readonly<Record<string, string>>, name: string, max = MAX_VALUE_LENGTH) {
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  return t.length > 0 && t.length <= max ? t : undefined;
}

function count(v: string | undefined): number | undefined {
  return v !== undefined && COUNT.test(v) ? Number(v) : undefined;
}

/**
 * The server's wait from the rate-limit reset headers, or `undefined`. Of the dimensions whose
 * remaining count is `0`, the longest reset wins: each of them must have room again before a
 * retry can pass (OpenAI with requests `1s` and tokens `6m0s` both at 0 → 360,000 ms). When no
 * dimension reports `0`, the longest reset of the dimensions that report no remaining count (any
 * of them may be the one that was hit). A dimension with room left (remaining above 0) is not
 * waited for, so when every dimension reports room there is no hint here (the backoff decides).
 * A malformed reset drops its dimension.
 */
export function resetWait(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const dims: Dimension[] = [];
  for (const [resetName, remainingName] of PAIRS) {
    const reset = value(headers, resetName);
    if (reset === undefined) continue;
    const resetMs = parseReset(reset, now);
    if (resetMs === undefined) continue;
    const remaining = count(value(headers, remainingName));
    dims.push(remaining === undefined ? { resetMs } : { resetMs, remaining });
  }
  const structured = value(headers, 'ratelimit', MAX_STRUCTURED_LENGTH);
  if (structured !== undefined) dims.push(...structuredDimensions(structured));
  return (
    longest(dims.filter((d) => d.remaining === 0)) ?? longest(dims.filter((d) => d.remaining === undefined))
  );
}

function longest(dims: readonly Dimension[]): number | undefined {
  let out: number | undefined;
  for (const d of dims) if (out === undefined || d.resetMs > out) out = d.resetMs;
  return out;
}

/**
 * The IETF `RateLimit` field. From draft -08 on it is a Structured Fields list, one item a policy:
 * `"default";r=0;t=30, "daily";r=100;t=86400` (`r` remaining, `t` seconds until reset). Draft -07
 * sent a dictionary instead: `limit=10, remaining=0, reset=30`. Both are read; anything else in
 * the field is skipped.
 */
function structuredDimensions(field: string): Dimension[] {
  const members = field.split(',', MAX_POLICIES + 1).slice(0, MAX_POLICIES);
  const dims: Dimension[] = [];
  const dictionary: Record<string, string> = {};
  for (const member of members) {
    const parts = member.split(';').map((p) => p.trim());
    const head = parts[0] ?? '';
    if (parts.length === 1 && head.includes('=')) {
      const [k, v] = head.split('=', 2);
      if (k && v) dictionary[k.trim()] = v.trim();
      continue;
    }
    const params: Record<string, string> = {};
    for (const p of parts.slice(1)) {
      const [k, v] = p.split('=', 2);
      if (k && v) params[k.trim()] = v.trim();
    }
    const dim = dimension(params.t, params.r);
    if (dim) dims.push(dim);
  }
  const old = dimension(dictionary.reset, dictionary.remaining);
  if (old) dims.push(old);
  return dims;
}

/** A dimension from delta-seconds `t` (an Integer) and a remaining count `r`, or `undefined`. */
function dimension(t: string | undefined, r: string | undefined): Dimension | undefined {
  const seconds = count(t);
  if (seconds === undefined) return undefined;
  const remaining = count(r);
  const resetMs = seconds * 1000;
  return remaining === undefined ? { resetMs } : { resetMs, remaining };
}
