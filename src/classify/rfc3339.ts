/**
 * RFC 3339 timestamps (`2026-12-02T08:00:30Z`, `2026-12-02T08:00:30.250+01:00`), the form of
 * Anthropic's `anthropic-ratelimit-*-reset` headers. Input is lower-case (as `retry-after.ts` hands
 * it over): `t` and `z` are read as `T` and `Z`; a space for the `T` is accepted (RFC 3339 §5.6
 * note). The expression is linear-time.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(z)|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an RFC 3339 date-time, or `undefined` when `value` is not one (or names a day that does not exist). */
export function parseRfc3339(value: string): number | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, min, s, frac, z, sign, oh, om] = m;
  const month = Number(mo) - 1;
  const day = Number(d);
  const hh = Number(h);
  const mm = Number(min);
  const ss = Number(s);
  if (month < 0 || month > 11 || day < 1 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const offH = Number(oh ?? 0);
  const offM = Number(om ?? 0);
  if (offH > 23 || offM > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month, day);
  if (date.getUTCDate() !== day) return undefined;
  const ms = frac === undefined ? 0 : Number(`0.${frac}`) * 1000;
  const offset = z !== undefined ? 0 : (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return date.getTime() + hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms - offset;
}
