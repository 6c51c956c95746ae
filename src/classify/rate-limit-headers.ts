import { normalizeHeaders } from './headers.js';
import { parseReset } from './reset-value.js';

/**
 * The rate-limit state a server reports in its response headers, per dimension of its own naming:
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset as a Go duration such as
 * `6m0s`, `1s`, `20ms`) and Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,
 * output-tokens}-{limit,remaining,reset}` (reset in RFC 3339). Header names are matched
 * lower-case; any header object `normalizeHeaders` takes is accepted and at most 500 of its headers
 * are read. Never throws.
 */

/** One dimension as the server reports it. Each field is present only when its header parsed. */
export interface ReportedLimit {
  /** The most units per window the server allows on this key. */
  limit?: number;
  /** Units left now (a server may report more than `limit`: read it as `limit`). */
  remaining?: number;
  /** Wait from the response until the dimension is whole again, in ms. */
  resetMs?: number;
}

/** The server's dimensions by name: `requests`, `tokens`, `input-tokens`, `output-tokens`. */
export type ReportedLimits = Partial<Record<string, ReportedLimit>>;

/** Values longer than this are ignored (a count has at most 15 digits; a reset is short). */
const MAX_VALUE_LENGTH = 64;
const COUNT = /^\d{1,15}$/;

/** [dimension, limit header, remaining header, reset header], the one table of header names. */
const FAMILIES: readonly (readonly [string, string, string, string])[] = [
  ['requests', 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
  ['tokens', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
  ...['requests', 'tokens', 'input-tokens', 'output-tokens'].map(
    (d) =>
      [
        d,
        `anthropic-ratelimit-${d}-limit`,
        `anthropic-ratelimit-${d}-remaining`,
        `anthropic-ratelimit-${d}-reset`,
      ] as const,
  ),
];

function text(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (typeof v !== 'string' || v.length > MAX_VALUE_LENGTH * 4) return undefined;
  const t = v.trim().toLowerCase();
  return t.length > 0 && t.length <= MAX_VALUE_LENGTH ? t : undefined;
}

function count(v: string | undefined): number | undefined {
  return v !== undefined && COUNT.test(v) ? Number(v) : undefined;
}

/**
 * What the response headers `raw` say of each dimension, or `undefined` when they say nothing.
 * `now` (epoch ms) turns an RFC 3339 reset into a wait. A limit of 0, or a value that is not a
 * whole number, is dropped; a `remaining` above `limit` is capped at `limit`.
 */
export function readRateLimitHeaders(raw: unknown, now: number): ReportedLimits | undefined {
  const headers = normalizeHeaders(raw);
  let out: Record<string, ReportedLimit> | undefined;
  for (const [dim, limitName, remainingName, resetName] of FAMILIES) {
    const limit = count(text(headers, limitName));
    const remaining = count(text(headers, remainingName));
    const reset = text(headers, resetName);
    const resetMs = reset === undefined ? undefined : parseReset(reset, now);
    const r: ReportedLimit = {};
    if (limit !== undefined && limit > 0) r.limit = limit;
    if (remaining !== undefined)
      r.remaining = r.limit === undefined ? remaining : Math.min(remaining, r.limit);
    if (resetMs !== undefined) r.resetMs = resetMs;
    if (r.limit === undefined && r.remaining === undefined) continue;
    out ??= {};
    out[dim] = r;
  }
  return out;
}
