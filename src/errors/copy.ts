import { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import {
  arrayPairs,
  type FieldCache,
  firstOf,
  headerPairs,
  isDropped,
  isObject,
  LAZY_STACK,
  MAX_DEPTH,
  MAX_KEYS,
  MAX_NODES,
  MAX_TEXT,
  ownFields,
  UNREADABLE,
} from './fields.js';
import { isCredentialKey, REDACTED, scrub } from './secrets.js';

const TRUNCATED = '[truncated]';
/** What ends text cut to `MAX_TEXT` in a copy. */
const CUT = '…[truncated]';
/** A property left out of the copy. */
export const DROP: unique symbol = Symbol('steady.drop');

/** Makes the redacted copy of one value (see `redact.ts`), with the secrets already found. */
export class Copier {
  private readonly seen = new Map<object, unknown>();
  private nodes = 0;

  constructor(
    private readonly secrets: readonly string[],
    private readonly fields: FieldCache,
  ) {}

  value(x: unknown, depth: number): unknown {
    if (typeof x === 'string') return this.text(x);
    if (!isObject(x)) return x;
    if (this.seen.has(x)) return this.seen.get(x);
    if (depth > MAX_DEPTH || ++this.nodes > MAX_NODES) return TRUNCATED;
    try {
      return this.object(x, depth);
    } catch {
      return UNREADABLE;
    }
  }

  /** A credential is `[redacted]` whatever its shape; anything else is copied. */
  private field(key: PropertyKey, v: unknown, depth: number): unknown {
    if (isCredentialKey(key) && v !== undefined && v !== null && v !== '' && typeof v !== 'boolean')
      return REDACTED;
    return this.value(v, depth + 1);
  }

  private object(x: object, depth: number): unknown {
    if (isDropped(x)) return DROP;
    if (ArrayBuffer.isView(x)) return this.bytes(x);
    if (x instanceof Date) return new Date(x.getTime());
    if (typeof Headers !== 'undefined' && x instanceof Headers) return this.headers(x);
    if (typeof Response !== 'undefined' && x instanceof Response) return this.response(x);
    if (x instanceof URL) return this.url(x);
    if (x instanceof URLSearchParams) {
      return new URLSearchParams(
        firstOf(x, MAX_KEYS).map(([k, v]) => [k, this.field(k, v, depth) as string]),
      );
    }
    if (x instanceof Map) return this.map(x, depth);
    if (x instanceof Set) {
      const out = new Set<unknown>();
      this.seen.set(x, out);
      for (const v of firstOf(x, MAX_KEYS)) out.add(this.value(v, depth + 1));
      return out;
    }
    if (x instanceof RegExp || x instanceof WeakMap || x instanceof WeakSet || x instanceof ArrayBuffer)
      return x;
    if (x instanceof IncomingMessage) return this.message(x, depth);
    if (Array.isArray(x)) return this.array(x, depth);
    return this.instance(x, depth);
  }

  /**
   * Text scrubbed, at most `MAX_TEXT` characters of it (then ending in `…[truncated]`). A long text
   * is scrubbed a little past the cut, so a secret that straddles the cut is not shown in part.
   */
  private text(x: string): string {
    if (x.length <= MAX_TEXT) return scrub(x, this.secrets);
    return cut(scrub(x.slice(0, this.window()), this.secrets));
  }

  /** How much of a long text is scrubbed: past the cut by the longest secret, and a margin. */
  private window(): number {
    return MAX_TEXT + (this.secrets[0]?.length ?? 0) + 256;
  }

  /** Text bytes (a got `rawBody`) scrubbed and cut like text; the same bytes when short and clean. */
  private bytes(x: ArrayBufferView): unknown {
    if (!(x instanceof Uint8Array)) return x;
    const n = Math.min(x.byteLength, x.byteLength > MAX_TEXT ? this.window() : x.byteLength);
    const text = Buffer.from(x.buffer, x.byteOffset, n).toString('utf8');
    let clean = scrub(text, this.secrets);
    if (n === x.byteLength && x.byteLength <= MAX_TEXT && clean === text) return x;
    if (n < x.byteLength || clean.length > MAX_TEXT) clean = cut(clean);
    const out = Buffer.from(clean);
    return Buffer.isBuffer(x) ? out : new Uint8Array(out);
  }

  private headers(x: Headers): Headers {
    const out = new Headers();
    for (const [k, v] of headerPairs(x))
      out.append(k, isCredentialKey(k) ? REDACTED : scrub(v, this.secrets));
    return out;
  }

  /** A fetch `Response`: status, headers (redacted) and url; no body (steady read it; `HttpError.body` has it). */
  private response(x: Response): unknown {
    const headers = this.headers(x.headers);
    const url = scrub(x.url, this.secrets);
    try {
      const out = new Response(null, { status: x.status, statusText: x.statusText, headers });
      Object.defineProperty(out, 'url', { value: url, enumerable: true });
      return out;
    } catch {
      return { status: x.status, statusText: x.statusText, ok: x.ok, headers, url };
    }
  }

  private url(x: URL): unknown {
    const href = scrub(x.href, this.secrets);
    try {
      const out = new URL(href);
      if (out.password) out.password = REDACTED;
      return out;
    } catch {
      return href;
    }
  }

  private map(x: Map<unknown, unknown>, depth: number): Map<unknown, unknown> {
    const out = new Map<unknown, unknown>();
    this.seen.set(x, out);
    for (const [k, v] of firstOf(x, MAX_KEYS)) out.set(k, this.field(k as PropertyKey, v, depth));
    return out;
  }

  private array(x: readonly unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    this.seen.set(x, out);
    for (const [key, v] of arrayPairs(x)) {
      const c = this.field(key, v, depth);
      out.push(c === DROP ? undefined : c);
    }
    if (x.length > MAX_KEYS) out.push(TRUNCATED);
    return out;
  }

  /**
   * A Node response (got's `error.response`): a plain object with what users read — status,
   * headers, body — and none of the socket, request or stream state.
   */
  private message(x: IncomingMessage, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.seen.set(x, out);
    const fields = ownFields(x, this.fields).filter(([k]) => typeof k === 'string' && !k.startsWith('_'));
    fields.unshift(['headers', x.headers, true]);
    for (const [key, v] of fields) {
      const c = this.field(key, v, depth);
      if (c !== DROP) out[key as string] = c;
    }
    return out;
  }

  /** Any other object (an Error too): same prototype, own properties copied with their enumerability. */
  private instance(x: object, depth: number): unknown {
    const proto = Reflect.getPrototypeOf(x);
    const out = Object.create(proto) as Record<PropertyKey, unknown>;
    this.seen.set(x, out);
    for (const [key, v, enumerable] of ownFields(x, this.fields)) {
      if (v === LAZY_STACK) {
        lazyStack(out, x as Error, this.secrets);
        continue;
      }
      const c = this.field(key, v, depth);
      if (c === DROP) continue;
      Object.defineProperty(out, key, { value: c, enumerable, writable: true, configurable: true });
    }
    if (proto !== Object.prototype && proto !== null && !printable(out)) {
      Reflect.setPrototypeOf(out, x instanceof Error ? Error.prototype : Object.prototype);
    }
    return out;
  }
}

/** `text` cut to `MAX_TEXT` characters, marked. */
function cut(text: string): string {
  return text.slice(0, MAX_TEXT) + CUT;
}

/** `copy.stack`: the original's stack, scrubbed, read on first use (then a plain value, as on any error). */
function lazyStack(copy: object, original: Error, secrets: readonly string[]): void {
  const settle = (value: unknown) => {
    Object.defineProperty(copy, 'stack', { value, writable: true, configurable: true, enumerable: false });
    return value;
  };
  Object.defineProperty(copy, 'stack', {
    configurable: true,
    enumerable: false,
    get: () => {
      let stack: unknown;
      try {
        stack = original.stack;
      } catch {
        stack = UNREADABLE;
      }
      return settle(typeof stack === 'string' ? scrub(stack, secrets) : stack);
    },
    set: settle,
  });
}

/**
 * False when the copy's own `toJSON` or custom inspect throws: a class keeping its state in
 * private fields or internal slots, which the copy does not have. The copy then drops its class.
 */
function printable(copy: Record<PropertyKey, unknown>): boolean {
  try {
    if (typeof copy.toJSON === 'function') (copy.toJSON as () => unknown)();
    if (typeof copy[inspect.custom] === 'function') inspect(copy, { depth: 0 });
    return true;
  } catch {
    return false;
  }
}
