import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import type { Verdict } from '../classify/verdict.js';
import { keepRaw } from './raw.js';
import { addKeyed, addSecret, isCredentialKey, ordered, REDACTED, scrub } from './secrets.js';

/**
 * Redaction: the one place where a raw error (got's `HTTPError` with its options, an `AxiosError`
 * with its config, a fetch `Response`, an SDK error) becomes something steady shows — the `cause`
 * of its errors, the `error` of its events, their messages and verdicts.
 *
 * The copy keeps each object's prototype (`cause instanceof HTTPError`, `axios.isAxiosError(cause)`,
 * `cause.response.status`, `.data`, `.headers` work), with the value of every credential header or
 * option replaced by `[redacted]`, every known secret and `Bearer …` token scrubbed from its text,
 * and what can hold a live connection or a raw request dropped (sockets, agents, requests, streams,
 * signals). The secrets are those found in the value itself (request headers in got's options and
 * axios's config, cookies a response sets) plus those the caller declares (`RunOptions.secrets`).
 * Bounded (depth, objects, keys), cycle-safe, and it never throws: what cannot be read is
 * `[unreadable]`. The raw value stays reachable through `rawCause`, never through the copy.
 */

const MAX_DEPTH = 10;
const MAX_NODES = 10_000;
const MAX_KEYS = 1_000;
const UNREADABLE = '[unreadable]';
const TRUNCATED = '[truncated]';
/** A property left out of the copy. */
const DROP: unique symbol = Symbol('steady.drop');

export interface Redaction {
  /** The redacted copy (the value itself when there is nothing in it to copy: a number, a function). */
  value: unknown;
  /** The secrets it was scrubbed of, longest first: scrub more text with them. */
  secrets: readonly string[];
}

/** The redacted copy of `value` and the secrets found; `declared` are strings or headers (a record, `Headers`, pairs). */
export function redaction(value: unknown, declared?: readonly unknown[]): Redaction {
  let secrets: readonly string[] = [];
  try {
    const fields: FieldCache = new Map();
    secrets = secretsOf(value, declared, fields);
    const copy = new Copier(secrets, fields).value(value, 0);
    const shown = copy === DROP ? `[${nameOf(value)}]` : copy;
    if (shown !== value && isObject(shown)) keepRaw(shown, value);
    return { value: shown, secrets };
  } catch {
    return { value: UNREADABLE, secrets };
  }
}

/** The redacted copy of `value` (see `redaction`). */
export function redact(value: unknown, declared?: readonly unknown[]): unknown {
  return redaction(value, declared).value;
}

/** The verdict with its `message` scrubbed; the same verdict when there was nothing to scrub. */
export function scrubVerdict<V extends Verdict | undefined>(verdict: V, secrets: readonly string[]): V {
  const message = verdict?.message;
  if (typeof message !== 'string') return verdict;
  const clean = scrub(message, secrets);
  return clean === message ? verdict : { ...verdict, message: clean };
}

/** The credential values in `value` and in `declared`, longest first. */
export function secretsOf(
  value: unknown,
  declared?: readonly unknown[],
  fields: FieldCache = new Map(),
): readonly string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const walk = (x: unknown, depth: number): void => {
    if (!isObject(x) || depth > MAX_DEPTH || seen.has(x) || seen.size >= MAX_NODES) return;
    seen.add(x);
    try {
      if (isDropped(x)) return;
      for (const [key, v] of pairsOf(x, fields)) {
        if (isCredentialKey(key)) addKeyed(found, key, v);
        else walk(v, depth + 1);
      }
    } catch {
      // Unreadable (a Proxy that throws): nothing found there.
    }
  };
  walk(value, 0);
  for (const d of declared ?? []) {
    if (typeof d === 'string') addSecret(found, d);
    else walk(d, 0);
  }
  return ordered(found);
}

function isObject(x: unknown): x is object {
  return x !== null && typeof x === 'object';
}

function nameOf(x: unknown): string {
  try {
    return (x as object).constructor?.name || 'object';
  } catch {
    return 'object';
  }
}

/** Live things: connections, requests, streams, signals, pending promises. Never copied. */
function isDropped(x: object): boolean {
  if (x instanceof EventEmitter) return !(x instanceof IncomingMessage);
  if (typeof EventTarget !== 'undefined' && x instanceof EventTarget) return true;
  if (typeof Request !== 'undefined' && x instanceof Request) return true;
  return x instanceof Promise;
}

type Field = [key: PropertyKey, value: unknown, enumerable: boolean];
/** Each object's fields, read once per redaction: listing the keys of a huge object is the costly part. */
type FieldCache = Map<object, Field[]>;

/** An object's own properties as [key, value], getters read (and caught), at most MAX_KEYS. */
function ownFields(x: object, cache: FieldCache): Field[] {
  const cached = cache.get(x);
  if (cached) return cached;
  const out: Field[] = [];
  cache.set(x, out);
  for (const key of Reflect.ownKeys(x)) {
    if (out.length >= MAX_KEYS) break;
    let d: PropertyDescriptor | undefined;
    try {
      d = Reflect.getOwnPropertyDescriptor(x, key);
    } catch {
      out.push([key, UNREADABLE, true]);
      continue;
    }
    if (!d) continue;
    let v: unknown = d.value;
    if (!('value' in d)) {
      try {
        v = d.get ? d.get.call(x) : undefined;
      } catch {
        v = UNREADABLE;
      }
    }
    out.push([key, v, d.enumerable ?? false]);
  }
  return out;
}

/** The [name, value] pairs a value holds, the way its headers are read. */
function pairsOf(x: object, cache: FieldCache): Iterable<[PropertyKey, unknown]> {
  if (typeof Headers !== 'undefined' && x instanceof Headers) return headerPairs(x);
  if (x instanceof URLSearchParams) return [...x].slice(0, MAX_KEYS);
  if (x instanceof Map) return [...x].slice(0, MAX_KEYS);
  if (x instanceof Set) return [...x].slice(0, MAX_KEYS).map((v, i) => [i, v]);
  if (Array.isArray(x)) return arrayPairs(x);
  const fields: [PropertyKey, unknown][] = ownFields(x, cache).map(([k, v]) => [k, v]);
  if (x instanceof IncomingMessage) fields.push(['headers', x.headers]);
  return fields;
}

/** A `Headers`' entries (each `set-cookie` on its own), at most MAX_KEYS. */
function headerPairs(x: Headers): [string, string][] {
  const out: [string, string][] = [];
  x.forEach((v, k) => {
    if (out.length < MAX_KEYS) out.push([k, v]);
  });
  return out;
}

/** An array's items by index; a string after a credential name (`rawHeaders`, `[name, value]` pairs) under that name. */
function arrayPairs(x: readonly unknown[]): [PropertyKey, unknown][] {
  const out: [PropertyKey, unknown][] = [];
  const n = Math.min(x.length, MAX_KEYS);
  for (let i = 0; i < n; i++) {
    const prev = i > 0 ? x[i - 1] : undefined;
    out.push([typeof prev === 'string' && isCredentialKey(prev) ? prev : i, x[i]]);
  }
  return out;
}

class Copier {
  private readonly seen = new Map<object, unknown>();
  private nodes = 0;

  constructor(
    private readonly secrets: readonly string[],
    private readonly fields: FieldCache,
  ) {}

  value(x: unknown, depth: number): unknown {
    if (typeof x === 'string') return scrub(x, this.secrets);
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
      return new URLSearchParams([...x].map(([k, v]) => [k, this.field(k, v, depth) as string]));
    }
    if (x instanceof Map) return this.map(x, depth);
    if (x instanceof Set) {
      const out = new Set<unknown>();
      this.seen.set(x, out);
      for (const v of [...x].slice(0, MAX_KEYS)) out.add(this.value(v, depth + 1));
      return out;
    }
    if (x instanceof RegExp || x instanceof WeakMap || x instanceof WeakSet || x instanceof ArrayBuffer)
      return x;
    if (x instanceof IncomingMessage) return this.message(x, depth);
    if (Array.isArray(x)) return this.array(x, depth);
    return this.instance(x, depth);
  }

  /** Text bytes (a got `rawBody`) scrubbed; the same bytes when they held no secret. */
  private bytes(x: ArrayBufferView): unknown {
    if (!(x instanceof Uint8Array)) return x;
    const text = Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('utf8');
    const clean = scrub(text, this.secrets);
    if (clean === text) return x;
    return Buffer.isBuffer(x) ? Buffer.from(clean) : new Uint8Array(Buffer.from(clean));
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
    for (const [k, v] of [...x].slice(0, MAX_KEYS)) out.set(k, this.field(k as PropertyKey, v, depth));
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
