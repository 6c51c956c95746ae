import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { parseRetryAfter } from '../../src/classify/retry-after.js';
import { parseRfc3339 } from '../../src/classify/rfc3339.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('reset headers as dimensions: the longest exhausted reset wins', () => {
  it('OpenAI: requests 1s and tokens 6m0s both used up → 360 s', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(parseRetryAfter(headers, NOW)).toBe(360_000);
    expect(classify({ status: 429, headers }, [], NOW)).toMatchObject({
      action: 'retry',
      reason: 'rate-limited',
      retryAfterMs: 360_000,
    });
  });

  it('OpenAI: only the used-up dimension counts, however long the other reset', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '149000',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(parseRetryAfter(headers, NOW)).toBe(1_000);
    expect(parseRetryAfter({ ...headers, 'x-ratelimit-reset-requests': '20ms' }, NOW)).toBe(20);
  });

  it('Anthropic: RFC 3339 resets, the longest of the exhausted ones', () => {
    const headers = {
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2025-01-01T12:00:01Z',
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2025-01-01T12:00:03Z',
      'anthropic-ratelimit-input-tokens-remaining': '20000',
      'anthropic-ratelimit-input-tokens-reset': '2025-01-01T12:00:30Z',
    };
    expect(parseRetryAfter(headers, NOW)).toBe(3_000);
    expect(
      parseRetryAfter(
        {
          'anthropic-ratelimit-output-tokens-remaining': '0',
          'anthropic-ratelimit-output-tokens-reset': '2025-01-01T12:00:07Z',
        },
        NOW,
      ),
    ).toBe(7_000);
  });

  it('Retry-After still wins over every reset header', () => {
    const headers = {
      'retry-after': '2',
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2025-01-01T12:00:30Z',
    };
    expect(parseRetryAfter(headers, NOW)).toBe(2_000);
  });

  it('x-ratelimit-reset as an RFC 3339 date-time', () => {
    expect(parseRetryAfter({ 'x-ratelimit-reset': '2025-01-01T12:01:00Z' }, NOW)).toBe(60_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '2025-01-01T11:59:00Z' }, NOW)).toBe(0);
  });

  it('a dimension without a remaining count is waited for when none reports 0', () => {
    expect(
      parseRetryAfter({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, NOW),
    ).toBe(360_000);
    // Every dimension has room: the resets are no wait.
    expect(
      parseRetryAfter(
        {
          'anthropic-ratelimit-requests-remaining': '3',
          'anthropic-ratelimit-requests-reset': '2025-01-01T12:00:01Z',
        },
        NOW,
      ),
    ).toBeUndefined();
  });
});

describe('the IETF RateLimit fields', () => {
  it('draft -08 on: "policy";r=…;t=… items', () => {
    expect(parseRetryAfter({ ratelimit: '"default";r=0;t=30' }, NOW)).toBe(30_000);
    expect(parseRetryAfter({ ratelimit: '"default";r=5;t=30' }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ ratelimit: '"minute";r=0;t=30, "day";r=0;t=3600' }, NOW)).toBe(3_600_000);
    expect(parseRetryAfter({ ratelimit: '"minute";r=0;t=30, "day";r=10;t=3600' }, NOW)).toBe(30_000);
    // Parameters in any order, no remaining given.
    expect(parseRetryAfter({ ratelimit: '"default";t=12' }, NOW)).toBe(12_000);
  });

  it('draft -07: a dictionary with remaining and reset', () => {
    expect(parseRetryAfter({ ratelimit: 'limit=10, remaining=0, reset=7' }, NOW)).toBe(7_000);
  });

  it('drafts up to -06: RateLimit-Reset and RateLimit-Remaining', () => {
    expect(parseRetryAfter({ 'ratelimit-reset': '12', 'ratelimit-remaining': '0' }, NOW)).toBe(12_000);
    expect(parseRetryAfter({ 'ratelimit-reset': '12', 'ratelimit-remaining': '4' }, NOW)).toBeUndefined();
  });

  it('skips malformed members and bounds the work on a hostile field', () => {
    expect(parseRetryAfter({ ratelimit: '"a";r=0;t=soon, "b";r=0;t=-1' }, NOW)).toBeUndefined();
    expect(parseRetryAfter({ ratelimit: 'garbage' }, NOW)).toBeUndefined();
    // A field longer than 1,024 characters is not read at all.
    expect(
      parseRetryAfter({ ratelimit: `"a";r=0;t=5, "${'x'.repeat(2_000)}";r=0;t=1` }, NOW),
    ).toBeUndefined();
    const many = Array.from({ length: 100 }, (_, i) => `"p${i}";r=0;t=${i}`).join(',');
    // Only the first 16 policies are read (the field is cut at 1,024 characters first).
    expect(parseRetryAfter({ ratelimit: many.slice(0, 1_000) }, NOW)).toBe(15_000);
  });
});

describe('parseRfc3339', () => {
  it('reads Z, offsets, fractions and lower case; rejects days that do not exist', () => {
    expect(parseRfc3339('2025-01-01t12:00:00z')).toBe(NOW);
    expect(parseRfc3339('2025-01-01t12:00:00.250z')).toBe(NOW + 250);
    expect(parseRfc3339('2025-01-01t13:00:05+01:00')).toBe(NOW + 5_000);
    expect(parseRfc3339('2025-01-01t11:30:00-00:30')).toBe(NOW);
    expect(parseRfc3339('2025-02-30t00:00:00z')).toBeUndefined();
    expect(parseRfc3339('2025-01-01t24:00:00z')).toBeUndefined();
    expect(parseRfc3339('2025-01-01')).toBeUndefined();
  });
});
