import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders } from '../../src/classify/rate-limit-headers.js';

/** 2026-12-02T08:00:00Z. */
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);

describe('readRateLimitHeaders', () => {
  it("reads OpenAI's x-ratelimit-* family, resets as Go durations", () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '29000',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(readRateLimitHeaders(headers, NOW)).toStrictEqual({
      requests: { limit: 500, remaining: 499, resetMs: 120 },
      tokens: { limit: 30_000, remaining: 29_000, resetMs: 360_000 },
    });
  });

  it("reads Anthropic's four dimensions, resets in RFC 3339 measured from now", () => {
    const h: Record<string, string> = {};
    const dims = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
    dims.forEach((d, i) => {
      h[`anthropic-ratelimit-${d}-limit`] = String(100 * (i + 1));
      h[`anthropic-ratelimit-${d}-remaining`] = String(10 * (i + 1));
      h[`anthropic-ratelimit-${d}-reset`] = `2026-12-02T08:00:${String(10 * (i + 1)).padStart(2, '0')}Z`;
    });
    expect(readRateLimitHeaders(h, NOW)).toStrictEqual({
      requests: { limit: 100, remaining: 10, resetMs: 10_000 },
      tokens: { limit: 200, remaining: 20, resetMs: 20_000 },
      'input-tokens': { limit: 300, remaining: 30, resetMs: 30_000 },
      'output-tokens': { limit: 400, remaining: 40, resetMs: 40_000 },
    });
  });

  it('says nothing (undefined) without a limit or remaining header, even with a reset', () => {
    expect(readRateLimitHeaders({}, NOW)).toBeUndefined();
    expect(readRateLimitHeaders(undefined, NOW)).toBeUndefined();
    expect(
      readRateLimitHeaders({ 'x-ratelimit-reset-requests': '1s', 'retry-after': '3' }, NOW),
    ).toBeUndefined();
  });

  it('keeps each field only when its header parsed', () => {
    expect(readRateLimitHeaders({ 'x-ratelimit-limit-tokens': '60' }, NOW)).toStrictEqual({
      tokens: { limit: 60 },
    });
    expect(readRateLimitHeaders({ 'x-ratelimit-remaining-requests': '7' }, NOW)).toStrictEqual({
      requests: { remaining: 7 },
    });
    // A malformed reset drops only the reset.
    expect(
      readRateLimitHeaders({ 'x-ratelimit-limit-requests': '5', 'x-ratelimit-reset-requests': 'soon' }, NOW),
    ).toStrictEqual({ requests: { limit: 5 } });
  });

  it('drops a limit of 0 but keeps a remaining of 0', () => {
    expect(
      readRateLimitHeaders({ 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0' }, NOW),
    ).toStrictEqual({ requests: { remaining: 0 } });
    expect(readRateLimitHeaders({ 'x-ratelimit-limit-requests': '1' }, NOW)).toStrictEqual({
      requests: { limit: 1 },
    });
  });

  it('caps a remaining above the limit at the limit, and keeps one at or below it', () => {
    const at = (limit: string, remaining: string) =>
      readRateLimitHeaders(
        { 'x-ratelimit-limit-requests': limit, 'x-ratelimit-remaining-requests': remaining },
        NOW,
      )?.requests;
    expect(at('10', '11')).toStrictEqual({ limit: 10, remaining: 10 });
    expect(at('10', '10')).toStrictEqual({ limit: 10, remaining: 10 });
    expect(at('10', '9')).toStrictEqual({ limit: 10, remaining: 9 });
    // No (valid) limit: nothing to cap against.
    expect(at('0', '11')).toStrictEqual({ remaining: 11 });
  });

  it.each(['1.5', '-1', '1e3', '0x10', '', '  ', '1 000', '1234567890123456'])(
    'drops a count that is not a whole number of at most 15 digits: %j',
    (v) => {
      expect(readRateLimitHeaders({ 'x-ratelimit-limit-tokens': v }, NOW)).toBeUndefined();
    },
  );

  it('reads a 15-digit count, trimmed', () => {
    expect(readRateLimitHeaders({ 'x-ratelimit-limit-tokens': ' 123456789012345 ' }, NOW)).toStrictEqual({
      tokens: { limit: 123_456_789_012_345 },
    });
  });

  it('reads reset values trimmed and in any case (6M0S, RFC 3339 in capitals)', () => {
    expect(
      readRateLimitHeaders(
        {
          'X-RateLimit-Limit-Tokens': '9',
          'X-RateLimit-Reset-Tokens': ' 6M0S ',
          'ANTHROPIC-RATELIMIT-REQUESTS-REMAINING': '1',
          'anthropic-ratelimit-requests-reset': '2026-12-02T09:00:00+01:00',
        },
        NOW,
      ),
    ).toStrictEqual({ tokens: { limit: 9, resetMs: 360_000 }, requests: { remaining: 1, resetMs: 0 } });
  });

  it('reads a reset of 64 characters and ignores one of 65', () => {
    const zeros = '000000000.000000000h000000000.000000000m000000000.000000000s';
    const at = (reset: string) =>
      readRateLimitHeaders({ 'x-ratelimit-limit-requests': '1', 'x-ratelimit-reset-requests': reset }, NOW)
        ?.requests;
    expect(`${zeros}10ms`).toHaveLength(64);
    expect(at(`${zeros}10ms`)).toStrictEqual({ limit: 1, resetMs: 10 });
    expect(at(`${zeros}100ms`)).toStrictEqual({ limit: 1 });
  });

  it('ignores a raw value longer than 256 characters before trimming it', () => {
    const at = (v: string) => readRateLimitHeaders({ 'x-ratelimit-limit-requests': v }, NOW);
    expect(at(`7${' '.repeat(255)}`)).toStrictEqual({ requests: { limit: 7 } });
    expect(at(`7${' '.repeat(256)}`)).toBeUndefined();
  });
});
