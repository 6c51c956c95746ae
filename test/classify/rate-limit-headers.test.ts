import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders } from '../../src/classify/rate-limit-headers.js';
import { anthropicServerLimits, openaiServerLimits } from '../../src/presets/server-limits.js';

const NOW = Date.parse('2026-12-02T08:00:00Z');

describe('readRateLimitHeaders', () => {
  it("reads OpenAI's limit, remaining and Go-duration resets", () => {
    const r = readRateLimitHeaders(
      new Headers({
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '200000',
        'x-ratelimit-remaining-tokens': '150000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
      NOW,
    );
    expect(r).toEqual({
      requests: { limit: 500, remaining: 499, resetMs: 120 },
      tokens: { limit: 200_000, remaining: 150_000, resetMs: 360_000 },
    });
  });

  it("reads Anthropic's four families with RFC 3339 resets", () => {
    const headers: Record<string, string> = {};
    for (const [d, limit, left] of [
      ['requests', 50, 10],
      ['tokens', 30_000, 29_000],
      ['input-tokens', 20_000, 19_500],
      ['output-tokens', 8_000, 7_500],
    ] as const) {
      headers[`Anthropic-RateLimit-${d}-Limit`] = String(limit);
      headers[`anthropic-ratelimit-${d}-remaining`] = String(left);
      headers[`anthropic-ratelimit-${d}-reset`] = '2026-12-02T08:00:03Z';
    }
    const r = readRateLimitHeaders(headers, NOW)!;
    expect(r.requests).toEqual({ limit: 50, remaining: 10, resetMs: 3_000 });
    expect(r['input-tokens']).toEqual({ limit: 20_000, remaining: 19_500, resetMs: 3_000 });
    expect(r['output-tokens']?.limit).toBe(8_000);
  });

  it('caps a remaining above the limit at the limit', () => {
    const r = readRateLimitHeaders(
      { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '99' },
      NOW,
    );
    expect(r?.requests).toEqual({ limit: 10, remaining: 10 });
  });

  it('drops garbage values: negatives, fractions, words, huge numbers, a zero limit', () => {
    for (const v of ['-1', '0.5', 'lots', '1e9', '9'.repeat(40), '', '  ', '0x10']) {
      const r = readRateLimitHeaders(
        { 'x-ratelimit-limit-requests': v, 'x-ratelimit-reset-requests': v },
        NOW,
      );
      expect(r, v).toBeUndefined();
    }
    expect(readRateLimitHeaders({ 'x-ratelimit-limit-requests': '0' }, NOW)).toBeUndefined();
    const bad = readRateLimitHeaders(
      { 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': 'soon' },
      NOW,
    );
    expect(bad).toEqual({ requests: { remaining: 3 } });
  });

  it('never throws, and does bounded work on huge or hostile header objects', () => {
    const huge: Record<string, string> = {};
    for (let i = 0; i < 200_000; i++) huge[`x-filler-${i}`] = 'x';
    huge['x-ratelimit-limit-requests'] = '10';
    expect(readRateLimitHeaders(huge, NOW)).toBeUndefined(); // past the first 500 headers: not read
    const long = { 'x-ratelimit-limit-requests': `1${'0'.repeat(1_000_000)}` };
    expect(readRateLimitHeaders(long, NOW)).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    for (const h of [hostile, null, 42, 'x', [1, 2], undefined])
      expect(readRateLimitHeaders(h, NOW)).toBeUndefined();
  });
});

describe('the presets’ readers', () => {
  it("map requests and tokens to steady's calls and tokens, per minute", () => {
    const openai = openaiServerLimits(
      { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '7' },
      NOW,
    );
    expect(openai).toEqual([{ dimension: 'calls', windowMs: 60_000, limit: 500, remaining: 7 }]);
    const anthropic = anthropicServerLimits(
      { 'anthropic-ratelimit-tokens-limit': '30000', 'anthropic-ratelimit-input-tokens-limit': '1' },
      NOW,
    );
    expect(anthropic).toEqual([{ dimension: 'tokens', windowMs: 60_000, limit: 30_000 }]);
    expect(openaiServerLimits({ 'retry-after': '3' }, NOW)).toBeUndefined();
  });
});
