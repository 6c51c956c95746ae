import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseRetryAfterText } from '../../src/classify/retry-after.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads Retry-After delta-seconds, fractions included', () => {
    expect(parseRetryAfter({ 'retry-after': '20' }, NOW)).toBe(20_000);
    expect(parseRetryAfter({ 'retry-after': '0' }, NOW)).toBe(0);
    expect(parseRetryAfter({ 'retry-after': '1.5' }, NOW)).toBe(1_500);
    expect(parseRetryAfter({ 'retry-after': ' 7 ' }, NOW)).toBe(7_000);
  });

  it('reads Retry-After as an HTTP date relative to now', () => {
    const at = new Date(NOW + 30_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': at }, NOW)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 12:01:00 GMT' }, NOW)).toBe(60_000);
  });

  it('turns a date in the past into 0 (retry now)', () => {
    expect(parseRetryAfter({ 'retry-after': new Date(NOW - 5_000).toUTCString() }, NOW)).toBe(0);
  });

  it('reads retry-after-ms first', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, NOW)).toBe(250);
    expect(parseRetryAfter({ 'retry-after-ms': '12.4' }, NOW)).toBe(13);
  });

  it('falls through a malformed header to the next valid one', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '3' }, NOW)).toBe(3_000);
    expect(parseRetryAfter({ 'retry-after': 'later', 'x-ratelimit-reset': '4' }, NOW)).toBe(4_000);
    expect(
      parseRetryAfter({ 'x-ratelimit-reset-requests': 'soon', 'x-ratelimit-reset-tokens': '3s' }, NOW),
    ).toBe(3_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset-tokens': '-1', 'x-ratelimit-reset': '7' }, NOW)).toBe(7_000);
  });

  it('reads reset headers as seconds, Go durations and epoch timestamps', () => {
    expect(parseRetryAfter({ 'x-ratelimit-reset-requests': '6m0s' }, NOW)).toBe(360_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset-tokens': '1.5s' }, NOW)).toBe(1_500);
    expect(parseRetryAfter({ 'x-ratelimit-reset-tokens': '250ms' }, NOW)).toBe(250);
    expect(parseRetryAfter({ 'x-ratelimit-reset-tokens': '1h2m3.5s' }, NOW)).toBe(3_723_500);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '12' }, NOW)).toBe(12_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': String(NOW / 1000 + 42) }, NOW)).toBe(42_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': String(NOW + 900) }, NOW)).toBe(900);
  });

  it('takes Retry-After before the reset headers', () => {
    expect(parseRetryAfter({ 'retry-after': '2', 'x-ratelimit-reset-requests': '50s' }, NOW)).toBe(2_000);
  });

  it('prefers requests over tokens unless the tokens are the ones used up', () => {
    const both = { 'x-ratelimit-reset-requests': '10s', 'x-ratelimit-reset-tokens': '3s' };
    expect(parseRetryAfter(both, NOW)).toBe(10_000);
    expect(
      parseRetryAfter(
        { ...both, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-remaining-requests': '12' },
        NOW,
      ),
    ).toBe(3_000);
  });

  it('ignores malformed, negative and NaN values', () => {
    for (const value of ['-5', 'NaN', 'Infinity', '', '   ', '1e3', '5s5', 'abc', '1..5', '0x10', '-1s']) {
      expect(parseRetryAfter({ 'retry-after': value }, NOW), value).toBeUndefined();
      expect(parseRetryAfter({ 'x-ratelimit-reset': value }, NOW), value).toBeUndefined();
      expect(parseRetryAfter({ 'retry-after-ms': value }, NOW), value).toBeUndefined();
    }
    expect(parseRetryAfter({ 'retry-after': '9'.repeat(500) }, NOW)).toBeUndefined();
  });

  it('returns long hints as they are: a year, 10^12 ms, a date 100 years ahead', () => {
    const YEAR_MS = 365 * 86_400_000;
    expect(parseRetryAfter({ 'retry-after': '31536000' }, NOW)).toBe(YEAR_MS);
    expect(parseRetryAfter({ 'retry-after': '99999999' }, NOW)).toBe(99_999_999_000);
    expect(parseRetryAfter({ 'retry-after-ms': '1000000000000' }, NOW)).toBe(1e12);
    // 2125-01-01 12:00:00 GMT is 100 × 365 + 24 days (the leap years 2028–2124 but 2100) after NOW.
    expect(parseRetryAfter({ 'retry-after': 'Mon, 01 Jan 2125 12:00:00 GMT' }, NOW)).toBe(
      36_524 * 86_400_000,
    );
    expect(parseRetryAfter({ 'x-ratelimit-reset': '48h' }, NOW)).toBe(172_800_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset-requests': '720h0m0s' }, NOW)).toBe(2_592_000_000);
  });

  it('tells epoch seconds and epoch ms from plain seconds by size, at each threshold', () => {
    // NOW is 2025-01-01, so the epoch values below are all in the past: 0.
    expect(parseRetryAfter({ 'x-ratelimit-reset': '999999999' }, NOW)).toBe(999_999_999_000); // seconds
    expect(parseRetryAfter({ 'x-ratelimit-reset': '1000000000' }, NOW)).toBe(0); // epoch s, 2001
    expect(parseRetryAfter({ 'x-ratelimit-reset': String(NOW / 1000 + 5) }, NOW)).toBe(5_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '99999999999' }, NOW)).toBe(99_999_999_999_000 - NOW);
    // 10^11 up to 10^12 is neither an epoch in seconds (year 5138 on) nor in ms (before 2001): seconds.
    expect(parseRetryAfter({ 'x-ratelimit-reset': '100000000000' }, NOW)).toBe(1e14);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '999999999999' }, NOW)).toBe(999_999_999_999_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '1000000000000' }, NOW)).toBe(0); // epoch ms, 2001
    expect(parseRetryAfter({ 'x-ratelimit-reset': String(NOW + 1) }, NOW)).toBe(1);
  });

  it('parses values of up to 64 characters, trimmed and in any case', () => {
    const padded = `${'0'.repeat(61)}1.5`; // 64 characters
    expect(parseRetryAfter({ 'retry-after': ` ${padded} ` }, NOW)).toBeUndefined(); // NUMBER allows 15 digits
    const hms = '000000001.000000000h000000002.000000000m000000003.000000000s';
    expect(parseRetryAfter({ 'x-ratelimit-reset': ` ${hms}04ms ` }, NOW)).toBe(3_723_004); // 64
    expect(parseRetryAfter({ 'x-ratelimit-reset': `${hms}004ms` }, NOW)).toBeUndefined(); // 65
    expect(parseRetryAfter({ 'x-ratelimit-reset': ' 2M0S ' }, NOW)).toBe(120_000);
    expect(parseRetryAfter({ 'retry-after': ' 3 ' }, NOW)).toBe(3_000);
  });

  it('waits for the used-up dimension, the longest when both are; never for one with room left', () => {
    const both = { 'x-ratelimit-reset-requests': '10s', 'x-ratelimit-reset-tokens': '3s' };
    const at = (remaining: Record<string, string>) => parseRetryAfter({ ...both, ...remaining }, NOW);
    expect(at({ 'x-ratelimit-remaining-tokens': '0' })).toBe(3_000);
    expect(at({ 'x-ratelimit-remaining-tokens': ' 0 ' })).toBe(3_000);
    expect(at({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-remaining-requests': '0' })).toBe(10_000);
    // Both have room: the 429 (or 5xx) is about something else, and neither reset is a wait.
    expect(
      at({ 'x-ratelimit-remaining-tokens': '1', 'x-ratelimit-remaining-requests': '5' }),
    ).toBeUndefined();
    // Tokens have room, requests do not say: the requests may be the limit that was hit.
    expect(at({ 'x-ratelimit-remaining-tokens': '1' })).toBe(10_000);
    expect(at({ 'x-ratelimit-remaining-requests': '0' })).toBe(10_000);
    // x-ratelimit-reset is one more dimension: the longer reset wins.
    expect(parseRetryAfter({ 'x-ratelimit-reset': '1', 'x-ratelimit-reset-tokens': '3s' }, NOW)).toBe(3_000);
  });

  it('reads only own header names, not inherited ones', () => {
    const inherited = Object.create({ 'retry-after': '5' }) as Record<string, string>;
    expect(parseRetryAfter(inherited, NOW)).toBeUndefined();
  });

  it('rounds fractional waits up to whole ms', () => {
    expect(parseRetryAfter({ 'retry-after': '0.0001' }, NOW)).toBe(1);
    expect(parseRetryAfter({ 'retry-after': '0' }, NOW)).toBe(0);
    expect(parseRetryAfter({ 'x-ratelimit-reset': '0.5ms' }, NOW)).toBe(1);
  });

  it('returns undefined without headers', () => {
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null as never, NOW)).toBeUndefined();
  });
});

describe('parseRetryAfterText', () => {
  it.each([
    ['Rate limit reached. Please try again in 20s.', 20_000],
    ['please wait 1.5 seconds before retrying', 1_500],
    ['Please retry after 6 seconds.', 6_000],
    ['Try again in 250ms', 250],
    ['try again in 6m0s', 360_000],
    ['Please try again in 1m30s.', 90_000],
    ['TRY AGAIN IN 2 MINUTES', 120_000],
    ['try again in 20', 20_000],
    ['wait 3 secs', 3_000],
  ])('%s → %d ms', (message, ms) => {
    expect(parseRetryAfterText(message)).toBe(ms);
  });

  it.each([
    'Please wait and try again later',
    'retry 3 times',
    'You are past the per minute request limit, please wait and try again later.',
    'await 5 seconds',
    '',
  ])('finds no hint in %j', (message) => {
    expect(parseRetryAfterText(message)).toBeUndefined();
  });

  it('reads the unit from the word after the number, and a trailing full stop is not part of it', () => {
    expect(parseRetryAfterText('try again in 2.5 s')).toBe(2_500);
    expect(parseRetryAfterText('retry in 4 hrs.')).toBe(14_400_000);
    expect(parseRetryAfterText('try again in 7.')).toBe(7_000);
    expect(parseRetryAfterText('try again in 3m')).toBe(180_000);
    expect(parseRetryAfterText('try again in 2h30m')).toBe(9_000_000);
  });

  it('looks only at the first 10,000 characters of a message', () => {
    expect(parseRetryAfterText(`${'x'.repeat(9_980)} try again in 5s`)).toBe(5_000);
    expect(parseRetryAfterText(`${'x'.repeat(10_000)} try again in 5s`)).toBeUndefined();
  });

  it('ignores non-strings; reads a long wait as it is', () => {
    expect(parseRetryAfterText(undefined)).toBeUndefined();
    expect(parseRetryAfterText(42 as never)).toBeUndefined();
    expect(parseRetryAfterText('try again in 999 hours')).toBe(999 * 3_600_000);
  });
});
