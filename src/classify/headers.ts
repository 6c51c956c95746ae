import { get, isObject } from './safe.js';

/** At most this many headers are read, so a hostile object cannot make extraction slow. */
const MAX_HEADERS = 500;

/**
 * Response headers in one shape: a plain object with lower-cased names and string values. Accepts a
 * fetch `Headers`, a `Map`, axios's `AxiosHeaders`, Node's `IncomingHttpHeaders` (array values are
 * joined with `, `) or a plain object. Never throws: anything unreadable gives `{}`.
 */
export function normalizeHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(h)) return out;
  try {
    let count = 0;
    for (const [k, v] of pairs(h)) {
      if (++count > MAX_HEADERS) break;
      if (typeof k !== 'string' || k === '__proto__') continue;
      const value = headerValue(v);
      if (value !== undefined) out[k.toLowerCase()] = value;
    }
  } catch {
    // A throwing iterator or getter: keep what was read.
  }
  return out;
}

function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ');
  return undefined;
}

function pairs(h: object): Iterable<readonly [unknown, unknown]> {
  // fetch Headers and Map: `entries()` yields [name, value].
  const entries = get(h, 'entries');
  if (typeof get(h, 'get') === 'function' && typeof entries === 'function') {
    return entries.call(h) as Iterable<readonly [unknown, unknown]>;
  }
  // AxiosHeaders: a plain snapshot via toJSON().
  const toJSON = get(h, 'toJSON');
  if (typeof toJSON === 'function') {
    const snapshot: unknown = toJSON.call(h);
    if (isObject(snapshot)) return Object.entries(snapshot);
  }
  return Object.entries(h);
}
