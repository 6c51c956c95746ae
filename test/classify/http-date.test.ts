import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../src/classify/http-date.js';
import { parseRetryAfter } from '../../src/classify/retry-after.js';

/** RFC 9110's own example instant: Sunday 6 November 1994, 08:49:37 GMT. */
const EXAMPLE = 784_111_777_000;
const NOW_1994 = EXAMPLE - 37_000; // 08:49:00 GMT, 37 s before it
const NOW_2025 = Date.UTC(2025, 0, 1, 12, 0, 0);
const FORMS = ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994'];

describe('HTTP dates (RFC 9110 §5.6.7)', () => {
  it.each(FORMS)('reads %j as GMT: 37 s after 08:49:00 GMT', (value) => {
    expect(parseRetryAfter({ 'retry-after': value }, NOW_1994)).toBe(37_000);
  });

  it('reads the three forms as the same instant, case-insensitively', () => {
    for (const value of FORMS) expect(parseHttpDate(value.toLowerCase(), NOW_1994)).toBe(EXAMPLE);
    expect(parseHttpDate('sun nov 6 08:49:37 1994', NOW_1994)).toBe(EXAMPLE); // one space before the day
    expect(parseHttpDate('sun, 06 nov 1994 08:49:37 utc', NOW_1994)).toBe(EXAMPLE);
  });

  it('reads a two-digit year more than 50 years ahead as the past century (RFC 9110)', () => {
    // From 2025: "75" is 2075 (exactly 50 years ahead), "76" would be 51 ahead, so it is 1976.
    expect(parseHttpDate('wednesday, 01-jan-75 12:00:00 gmt', NOW_2025)).toBe(Date.UTC(2075, 0, 1, 12));
    expect(parseHttpDate('thursday, 01-jan-76 12:00:00 gmt', NOW_2025)).toBe(Date.UTC(1976, 0, 1, 12));
    expect(parseRetryAfter({ 'retry-after': 'Thursday, 01-Jan-76 12:00:00 GMT' }, NOW_2025)).toBe(0);
  });

  it('reads 29 February only in a leap year, and a leap second', () => {
    expect(parseHttpDate('thu, 29 feb 2024 00:00:00 gmt', NOW_2025)).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('sat, 29 feb 2025 00:00:00 gmt', NOW_2025)).toBeUndefined();
    expect(parseHttpDate('sat, 31 dec 2016 23:59:60 gmt', NOW_2025)).toBe(Date.UTC(2017, 0, 1));
  });

  it.each([
    'sun, 31 nov 1994 08:49:37 gmt', // no 31 November
    'sun, 06 nov 1994 24:00:00 gmt',
    'sun, 06 nov 1994 08:60:00 gmt',
    'sun, 00 nov 1994 08:49:37 gmt',
    'sun, 06 nov 1994 08:49:37 pst', // not GMT
    'sun, 06 nov 1994 08:49:37', // no zone
    'sun, 6 nov 1994 08:49:37 gmt', // IMF-fixdate has two-digit days
    'sun, 06 nvm 1994 08:49:37 gmt',
    'sun nov  6 08:49:37 1994 gmt',
    '2025-01-01t12:00:30z', // ISO 8601 is not an HTTP date
    'tomorrow',
    '',
  ])('rejects %j', (value) => {
    expect(parseHttpDate(value, NOW_2025)).toBeUndefined();
  });

  it('gives the same answers when the machine is in New York (TZ in a child process)', () => {
    const retryAfter = fileURLToPath(new URL('../../src/classify/retry-after.ts', import.meta.url));
    const code = `
      const { parseRetryAfter } = await import(${JSON.stringify(retryAfter)});
      const forms = ${JSON.stringify(FORMS)};
      console.log(JSON.stringify({
        offsetMin: new Date(${EXAMPLE}).getTimezoneOffset(),
        dateParse: Date.parse(forms[2]) - ${NOW_1994},
        hints: forms.map((v) => parseRetryAfter({ 'retry-after': v }, ${NOW_1994})),
      }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    const seen = JSON.parse(child.stdout) as { offsetMin: number; dateParse: number; hints: number[] };
    // The TZ took effect: New York is 5 h behind GMT in November, and Date.parse reads asctime locally.
    expect(seen.offsetMin).toBe(300);
    expect(seen.dateParse).toBe(18_037_000);
    expect(seen.hints).toEqual([37_000, 37_000, 37_000]);
  });
});
