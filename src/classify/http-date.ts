/**
 * HTTP dates (RFC 9110 §5.6.7), always GMT whatever the machine's time zone. `Date.parse` is not
 * used: it reads the asctime form in local time and accepts many other shapes.
 *
 * - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
 * - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year more than 50 years ahead of `now`
 *   is the most recent past year with those digits, as RFC 9110 requires)
 * - asctime: `Sun Nov  6 08:49:37 1994`
 *
 * Input is lower-case (as `retry-after.ts` hands it over). Names are matched case-insensitively
 * by the caller's lowering; `UTC` is taken for `GMT`. Every expression is linear-time.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};
const MONTH = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const DAY = 'mon|tue|wed|thu|fri|sat|sun';
const LONG_DAY = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const IMF = new RegExp(`^(?:${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} (?:gmt|utc)$`);
const RFC850 = new RegExp(`^(?:${LONG_DAY}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} (?:gmt|utc)$`);
const ASCTIME = new RegExp(`^(?:${DAY}) (${MONTH})  ?(\\d{1,2}) ${TIME} (\\d{4})$`);

/** Epoch ms of an HTTP date in any of the three forms, or `undefined` when `value` is not one. */
export function parseHttpDate(value: string, now: number): number | undefined {
  let m = IMF.exec(value);
  if (m) return at(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = ASCTIME.exec(value);
  if (m) return at(Number(m[6]), m[1]!, m[2]!, m[3]!, m[4]!, m[5]!);
  m = RFC850.exec(value);
  if (m) return at(fullYear(Number(m[3]), now), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  return undefined;
}

/** RFC 9110: a two-digit year that would be more than 50 years in the future is in the past century. */
function fullYear(yy: number, now: number): number {
  const current = new Date(Number.isFinite(now) ? now : 0).getUTCFullYear();
  const year = current - (current % 100) + yy;
  return year > current + 50 ? year - 100 : year;
}

function at(year: number, month: string, day: string, h: string, min: string, s: string): number | undefined {
  const mo = MONTHS[month]!;
  const d = Number(day);
  const hh = Number(h);
  const mm = Number(min);
  const ss = Number(s);
  // 60 is a leap second (RFC 9110's time-of-day goes to 23:59:60).
  if (hh > 23 || mm > 59 || ss > 60 || d < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, mo, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  // 31 Nov rolls over to 1 Dec: a day the month does not have is not a date.
  if (date.getUTCDate() !== d) return undefined;
  return date.getTime() + hh * 3_600_000 + mm * 60_000 + ss * 1000;
}
