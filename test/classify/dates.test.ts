import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../src/classify/http-date.js';
import { parseReset } from '../../src/classify/reset-value.js';
import { parseRfc3339 } from '../../src/classify/rfc3339.js';

/** 2025-01-01T12:00:00Z. */
const NOON = Date.UTC(2025, 0, 1, 12);

describe('parseRfc3339, field by field from both sides', () => {
  it.each([
    ['2025-12-31t00:00:00z', Date.UTC(2025, 11, 31)],
    ['2025-01-31t00:00:00z', Date.UTC(2025, 0, 31)],
    ['2025-01-01t23:59:59z', Date.UTC(2025, 0, 1, 23, 59, 59)],
    ['2016-12-31t23:59:60z', Date.UTC(2017, 0, 1)], // a leap second
    ['2025-01-01t12:00:00+23:59', NOON - (23 * 60 + 59) * 60_000],
    ['2025-01-01t12:00:00-23:59', NOON + (23 * 60 + 59) * 60_000],
    ['2025-01-01t12:00:00+00:59', NOON - 59 * 60_000],
    ['2025-01-01 12:00:00z', NOON], // a space for the T
    ['2025-01-01t12:00:00.5z', NOON + 500],
    ['2025-01-01t12:00:00.000000001z', NOON + 0.000001],
    ['2025-01-01t12:00:00.123456789z', NOON + 123.456789],
    ['0099-01-01t00:00:00z', -59_042_995_200_000], // year 99, not 1999
  ])('reads %j', (value, at) => {
    expect(parseRfc3339(value)).toBeCloseTo(at, 6);
  });

  it.each([
    '2025-13-01t00:00:00z', // no month 13 (not January of the next year)
    '2025-00-10t00:00:00z', // no month 0 (not December of the year before)
    '2025-01-00t00:00:00z',
    '2025-01-32t00:00:00z',
    '2025-04-31t00:00:00z',
    '2025-01-01t24:00:00z',
    '2025-01-01t12:60:00z',
    '2025-01-01t12:00:61z',
    '2025-01-01t12:00:00+24:00',
    '2025-01-01t12:00:00+00:60',
    '2025-01-01t12:00:00.1234567891z', // more than 9 fraction digits
    '2025-01-01t12:00:00.z',
    '2025-01-01t12:00:00', // no offset
    '2025-01-01t12:00:00+0100',
    '2025-01-01x12:00:00z',
    ' 2025-01-01t12:00:00z',
    '2025-01-01t12:00:00zz',
    '25-01-01t12:00:00z',
  ])('refuses %j', (value) => {
    expect(parseRfc3339(value)).toBeUndefined();
  });

  it('as a reset value, a wait from now (0 once past), rounded up to a whole ms', () => {
    expect(parseReset('2025-01-01t12:00:30z', NOON)).toBe(30_000);
    expect(parseReset('2025-01-01t12:00:00.0005z', NOON)).toBe(1);
    expect(parseReset('2025-01-01t11:59:00z', NOON)).toBe(0);
    expect(parseReset('2025-00-10t00:00:00z', NOON)).toBeUndefined();
  });
});

describe('parseHttpDate, the fields from both sides', () => {
  it.each([
    ['wed, 01 jan 2025 23:59:59 gmt', Date.UTC(2025, 0, 1, 23, 59, 59)],
    ['wed, 31 dec 2025 00:00:00 gmt', Date.UTC(2025, 11, 31)],
    ['wed jan  1 00:00:00 2025', Date.UTC(2025, 0, 1)],
    ['wed jan 31 00:00:00 2025', Date.UTC(2025, 0, 31)],
    ['wednesday, 31-dec-25 23:59:60 gmt', Date.UTC(2026, 0, 1)],
  ])('reads %j', (value, at) => {
    expect(parseHttpDate(value, NOON)).toBe(at);
  });

  it.each([
    'wed, 01 jan 2025 24:00:00 gmt',
    'wed, 01 jan 2025 23:60:00 gmt',
    'wed, 01 jan 2025 23:59:61 gmt',
    'wed, 32 jan 2025 00:00:00 gmt',
    'wed, 31 apr 2025 00:00:00 gmt',
    'wed jan  0 00:00:00 2025',
    'wed jan 32 00:00:00 2025',
    'wednesday, 00-jan-25 00:00:00 gmt',
  ])('refuses %j', (value) => {
    expect(parseHttpDate(value, NOON)).toBeUndefined();
  });

  it('reads an RFC 850 year from 1970 when the clock gives NaN (never throws)', () => {
    expect(parseHttpDate('tuesday, 01-jan-01 00:00:00 gmt', Number.NaN)).toBe(Date.UTC(1901, 0, 1));
    expect(parseHttpDate('tuesday, 01-jan-01 00:00:00 gmt', Number.POSITIVE_INFINITY)).toBe(
      Date.UTC(1901, 0, 1),
    );
  });

  it('reads an RFC 850 year within 50 years ahead of any century', () => {
    const in2060 = Date.UTC(2060, 5, 1);
    expect(parseHttpDate('friday, 01-jan-10 00:00:00 gmt', in2060)).toBe(Date.UTC(2010, 0, 1));
    expect(parseHttpDate('friday, 01-jan-99 00:00:00 gmt', in2060)).toBe(Date.UTC(2099, 0, 1));
    const in2099 = Date.UTC(2099, 5, 1);
    expect(parseHttpDate('friday, 01-jan-49 00:00:00 gmt', in2099)).toBe(Date.UTC(2049, 0, 1));
    // From 2149, 2100 + 99 = 2199 is exactly 50 years ahead: kept.
    expect(parseHttpDate('friday, 01-jan-99 00:00:00 gmt', Date.UTC(2149, 0, 1))).toBe(Date.UTC(2199, 0, 1));
  });
});

describe('a clock that gives NaN or an infinity', () => {
  it('gives no hint from an epoch reset or a date, rather than NaN or Infinity', () => {
    for (const now of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(parseReset('1735732800', now)).toBeUndefined(); // epoch seconds
      expect(parseReset('1735732800000', now)).toBeUndefined(); // epoch ms
      expect(parseReset('2025-01-01t12:00:30z', now)).toBeUndefined();
    }
    // Seconds and durations do not depend on the clock.
    expect(parseReset('30', Number.NaN)).toBe(30_000);
    expect(parseReset('6m0s', Number.NaN)).toBe(360_000);
  });
});
