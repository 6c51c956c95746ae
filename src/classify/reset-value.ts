import { parseRfc3339 } from './rfc3339.js';

/** Epoch seconds from 2001-09-09 on; epoch milliseconds from the same date on. */
const EPOCH_SECONDS_MIN = 1e9;
const EPOCH_SECONDS_MAX = 1e11;
const EPOCH_MS_MIN = 1e12;

export const NUMBER = /^\d{1,15}(?:\.\d{1,9})?$/;
/** Go-style duration (`6m0s`, `1.5s`, `250ms`, `1h2m3.5s`): every part optional, each at most once. */
const DURATION =
  /^(?:(\d{1,9}(?:\.\d{1,9})?)h)?(?:(\d{1,9}(?:\.\d{1,9})?)m(?!s))?(?:(\d{1,9}(?:\.\d{1,9})?)s)?(?:(\d{1,9}(?:\.\d{1,9})?)ms)?$/;

/** `ms` rounded up to a whole ms, or `undefined` for NaN, infinities and negatives. */
export function sane(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 ? Math.ceil(ms) : undefined;
}

/** A Go-style duration (`6m0s`, `1.5s`, `250ms`) in ms; `undefined` when it is not one. */
export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value);
  if (!m || value.length === 0) return undefined;
  const [, h, min, s, ms] = m;
  if (h === undefined && min === undefined && s === undefined && ms === undefined) return undefined;
  const total =
    Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
  return sane(total);
}

/**
 * A reset value (trimmed, lower-case) as a wait from `now`: seconds, a duration, epoch seconds or
 * epoch milliseconds (told apart by size), or an RFC 3339 date-time. A time in the past gives 0.
 */
export function parseReset(value: string, now: number): number | undefined {
  if (NUMBER.test(value)) {
    const n = Number(value);
    if (n >= EPOCH_MS_MIN) return sane(Math.max(0, n - now));
    if (n >= EPOCH_SECONDS_MIN && n < EPOCH_SECONDS_MAX) return sane(Math.max(0, n * 1000 - now));
    return sane(n * 1000);
  }
  const at = parseRfc3339(value);
  if (at !== undefined) return sane(Math.max(0, at - now));
  return parseDuration(value);
}
