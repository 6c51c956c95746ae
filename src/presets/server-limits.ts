import { type ReportedLimits, readRateLimitHeaders } from '../classify/rate-limit-headers.js';
import type { ServerLimit, ServerLimitsReader } from '../limit/server-watch.js';

/** OpenAI's and Anthropic's limits are per minute (requests, tokens per minute). */
const MINUTE = 60_000;

function pick(
  reported: ReportedLimits | undefined,
  map: Readonly<Record<string, string>>,
): ServerLimit[] | undefined {
  if (!reported) return undefined;
  const out: ServerLimit[] = [];
  for (const [theirs, ours] of Object.entries(map)) {
    const r = reported[theirs];
    if (r) out.push({ dimension: ours, windowMs: MINUTE, ...r });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` as steady's `calls` and
 * `tokens`, per minute.
 */
export const openaiServerLimits: ServerLimitsReader = (headers, now) =>
  pick(readRateLimitHeaders(headers, now), { requests: 'calls', tokens: 'tokens' });

/**
 * Anthropic's `anthropic-ratelimit-requests-*` and `anthropic-ratelimit-tokens-*` (the most
 * restrictive of its token limits) as steady's `calls` and `tokens`, per minute. The separate
 * input- and output-token headers are not mapped: the preset's `tokens` counts both together.
 */
export const anthropicServerLimits: ServerLimitsReader = (headers, now) =>
  pick(readRateLimitHeaders(headers, now), { requests: 'calls', tokens: 'tokens' });
