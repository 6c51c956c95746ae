import { headerValue, normalizeHeaders } from './headers.js';
import { get, isObject } from './safe.js';

/** How a header object is looked up by name. */
enum Kind {
  /** A fetch `Headers`: its own `get` is case-insensitive. */
  Fetch,
  /** Another object with `get` and `entries` (a `Map`): `get` by spelling, then its first entries. */
  Entries,
  /** A plain object, Node's `IncomingHttpHeaders`, axios's `AxiosHeaders`: own properties by spelling. */
  Plain,
}

/** Variant spellings kept for reuse; past this many names they are made afresh each time. */
const MAX_CACHED = 256;
const spellingCache = new Map<string, readonly string[]>();

/**
 * The spellings a lower-case header name is looked up under in a plain object: as given, its usual
 * capitalisation (`Retry-After`, `X-RateLimit-Reset`), and in capitals (`RETRY-AFTER`).
 */
export function spellings(name: string): readonly string[] {
  const cached = spellingCache.get(name);
  if (cached) return cached;
  const title = name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase());
  const rateLimit = title.replace(/Ratelimit/g, 'RateLimit');
  const out = [...new Set([name, title, rateLimit, name.toUpperCase()])];
  if (spellingCache.size < MAX_CACHED) spellingCache.set(name, out);
  return out;
}

/**
 * Response headers as `Outcome.headers`: a read-only-looking record with lower-case names that
 * reads the source only for the names asked for, so a headers object of 10⁶ keys costs what one of
 * ten does. Listing its keys (`Object.keys`, `JSON.stringify`, a test's `toEqual`) reads the first
 * 500 headers, as a plain normalised object would hold them.
 *
 * **Gotcha**: in a plain object (not a `Headers` or `Map`), a name is found under its lower-case
 * spelling, its usual capitalisation or in capitals; another spelling (`retry-AFTER`) is found only
 * once the keys were listed. Listing the keys of a plain object is what made a huge one slow.
 */
export function headerView(source: unknown): Readonly<Record<string, string>> {
  if (!isObject(source)) return {};
  let kind = Kind.Plain;
  try {
    if (typeof Headers !== 'undefined' && source instanceof Headers) kind = Kind.Fetch;
    else if (typeof get(source, 'get') === 'function' && typeof get(source, 'entries') === 'function')
      kind = Kind.Entries;
  } catch {
    // A Proxy whose getPrototypeOf throws: read as a plain object.
  }
  return new Proxy({}, new HeaderLookup(source, kind));
}

/** The view's traps: each name is read from the source once, on first use, into the target. */
class HeaderLookup implements ProxyHandler<Record<string, string>> {
  /** Names looked up and not found. */
  readonly #missing = new Set<string>();
  /** Set once the target holds the listed headers. */
  #listed = false;
  /** An entries source's first headers, normalised (read on the first name `get` does not find). */
  #index: Record<string, string> | undefined;

  constructor(
    private readonly source: object,
    private readonly kind: Kind,
  ) {}

  get(target: Record<string, string>, key: string | symbol): unknown {
    if (typeof key === 'string') this.#load(target, key);
    return Reflect.get(target, key);
  }

  has(target: Record<string, string>, key: string | symbol): boolean {
    if (typeof key === 'string') this.#load(target, key);
    return Reflect.has(target, key);
  }

  getOwnPropertyDescriptor(
    target: Record<string, string>,
    key: string | symbol,
  ): PropertyDescriptor | undefined {
    if (typeof key === 'string') this.#load(target, key);
    return Reflect.getOwnPropertyDescriptor(target, key);
  }

  ownKeys(target: Record<string, string>): (string | symbol)[] {
    if (!this.#listed) {
      this.#listed = true;
      const all = normalizeHeaders(this.source);
      for (const k of Object.keys(all)) if (!Object.hasOwn(target, k)) target[k] = all[k]!;
    }
    return Reflect.ownKeys(target);
  }

  #load(target: Record<string, string>, name: string): void {
    if (this.#listed || Object.hasOwn(target, name) || this.#missing.has(name)) return;
    const value = name === '__proto__' || name !== name.toLowerCase() ? undefined : this.#find(name);
    if (value === undefined) this.#missing.add(name);
    else target[name] = value;
  }

  /** The value of header `name` (lower-case) in the source, or undefined. Never throws. */
  #find(name: string): string | undefined {
    const { source } = this;
    try {
      if (this.kind === Kind.Fetch) return (source as Headers).get(name) ?? undefined;
      if (this.kind === Kind.Entries) {
        const lookup = (source as Map<unknown, unknown>).get.bind(source);
        for (const s of spellings(name)) {
          const v = headerValue(lookup(s));
          if (v !== undefined) return v;
        }
        this.#index ??= normalizeHeaders(source);
        return Object.hasOwn(this.#index, name) ? this.#index[name] : undefined;
      }
      // AxiosHeaders keeps unset headers as `false` or null; its toJSON() drops them.
      const axios = typeof get(source, 'toJSON') === 'function';
      for (const s of spellings(name)) {
        if (!Object.prototype.propertyIsEnumerable.call(source, s)) continue;
        const raw = get(source, s);
        if (axios && (raw === false || raw === null)) continue;
        const v = headerValue(raw);
        if (v !== undefined) return v;
      }
    } catch {
      // A throwing getter or trap: not found.
    }
    return undefined;
  }
}
