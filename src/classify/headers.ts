import { get, isObject } from './safe.js';

/** At most this many headers are read, so a hostile object cannot make extraction slow. */
const MAX_HEADERS = 500;

/**
 * Response headers in one shape: a plain object with lower-cased names and string values. Accepts a
 * fetch `Headers`, a `Map`, axios's `AxiosHeaders`, Node's `IncomingHttpHeaders` (array values are
 * joined with `, `) or a plain object. At most {@link MAX_HEADERS} are read. Never throws:
 * anything unreadable gives `{}`.
 *
 * Used when the keys of `Outcome.headers` are listed (see `lazy-headers.ts`); classification itself
 * reads headers by name and never lists them: V8 lists all of an object's keys before a `for…in`
 * starts, whatever it reads of them (10⁶ keys: about 0.4 s; `npm run bench -- bounded`).
 */
export function normalizeHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(h)) return out;
  try {
    const source = iterable(h);
    if (source) {
      let count = 0;
      for (const [k, v] of source) {
        if (++count > MAX_HEADERS) break;
        add(out, k, v);
      }
    } else {
      const snapshot = axiosSnapshot(h) ?? h;
      let count = 0;
      for (const k in snapshot) {
        if (!Object.hasOwn(snapshot, k)) continue;
        if (++count > MAX_HEADERS) break;
        add(out, k, get(snapshot, k));
      }
    }
  } catch {
    // A throwing iterator or getter: keep what was read.
  }
  return out;
}

function add(out: Record<string, string>, k: unknown, v: unknown): void {
  if (typeof k !== 'string' || k === '__proto__') return;
  const value = headerValue(v);
  if (value !== undefined) out[k.toLowerCase()] = value;
}

export function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ');
  return undefined;
}

/** fetch Headers and Map: `entries()` yields [name, value] lazily. */
function iterable(h: object): Iterable<readonly [unknown, unknown]> | undefined {
  const entries = get(h, 'entries');
  if (typeof get(h, 'get') === 'function' && typeof entries === 'function') {
    return entries.call(h) as Iterable<readonly [unknown, unknown]>;
  }
  return undefined;
}

/** AxiosHeaders: a plain snapshot via toJSON() (it drops unset values and joins arrays). */
function axiosSnapshot(h: object): object | undefined {
  const toJSON = get(h, 'toJSON');
  if (typeof toJSON !== 'function') return undefined;
  const snapshot: unknown = toJSON.call(h);
  return isObject(snapshot) ? snapshot : undefined;
}
