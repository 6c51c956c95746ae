import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { isCredentialKey } from './secrets.js';

/** How values are read for redaction: bounded, and never throwing past a caught getter or trap. */

export const MAX_DEPTH = 10;
export const MAX_NODES = 10_000;
export const MAX_KEYS = 1_000;
/** Text (a string, or bytes read as UTF-8) longer than this is cut to it in a copy: 64 KiB. */
export const MAX_TEXT = 65_536;
export const UNREADABLE = '[unreadable]';
/**
 * An error's `stack`, not read yet: formatting a stack is the costly part of reading an error
 * (source maps make it more so), and nothing secret is found under the name `stack`. The copy
 * reads and scrubs it when someone reads the copy's `stack`.
 */
export const LAZY_STACK: unique symbol = Symbol('steady.lazyStack');

export function isObject(x: unknown): x is object {
  return x !== null && typeof x === 'object';
}

/** Live things: connections, requests, streams, signals, pending promises. Never copied. */
export function isDropped(x: object): boolean {
  if (x instanceof EventEmitter) return !(x instanceof IncomingMessage);
  if (typeof EventTarget !== 'undefined' && x instanceof EventTarget) return true;
  if (typeof Request !== 'undefined' && x instanceof Request) return true;
  return x instanceof Promise;
}

export type Field = [key: PropertyKey, value: unknown, enumerable: boolean];
/** Each object's fields, read once per redaction: listing the keys of a huge object is the costly part. */
export type FieldCache = Map<object, Field[]>;

/** An object's own properties as [key, value], getters read (and caught), at most MAX_KEYS. */
export function ownFields(x: object, cache: FieldCache): Field[] {
  const cached = cache.get(x);
  if (cached) return cached;
  const out: Field[] = [];
  cache.set(x, out);
  let error = false;
  try {
    error = x instanceof Error;
  } catch {
    // A Proxy whose getPrototypeOf throws: its fields are read as any object's.
  }
  for (const key of Reflect.ownKeys(x)) {
    if (out.length >= MAX_KEYS) break;
    if (error && key === 'stack') {
      out.push([key, LAZY_STACK, false]);
      continue;
    }
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
export function pairsOf(x: object, cache: FieldCache): Iterable<[PropertyKey, unknown]> {
  // Bytes hold no named fields: listing a 200 MB buffer's indices is 2×10⁸ keys.
  if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return [];
  if (typeof Headers !== 'undefined' && x instanceof Headers) return headerPairs(x);
  // A fetch Response keeps its state in undici's internals: what it shows is its headers and url.
  if (typeof Response !== 'undefined' && x instanceof Response) {
    return [
      ['headers', x.headers],
      ['url', x.url],
    ];
  }
  if (x instanceof URLSearchParams) return firstOf(x, MAX_KEYS);
  if (x instanceof Map) return firstOf(x, MAX_KEYS);
  if (x instanceof Set) return firstOf(x, MAX_KEYS).map((v, i) => [i, v]);
  if (Array.isArray(x)) return arrayPairs(x);
  const fields: [PropertyKey, unknown][] = ownFields(x, cache).map(([k, v]) => [k, v]);
  if (x instanceof IncomingMessage) fields.push(['headers', x.headers]);
  return fields;
}

/** A `Headers`' entries (each `set-cookie` on its own), at most MAX_KEYS. */
export function headerPairs(x: Headers): [string, string][] {
  return firstOf(x as unknown as Iterable<[string, string]>, MAX_KEYS);
}

/** The first `n` items of an iterable, and no more read (a Map of 10⁶ entries is not spread). */
export function firstOf<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  if (n <= 0) return out;
  for (const item of items) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}

/** An array's items by index; a string after a credential name (`rawHeaders`, `[name, value]` pairs) under that name. */
export function arrayPairs(x: readonly unknown[]): [PropertyKey, unknown][] {
  const out: [PropertyKey, unknown][] = [];
  const n = Math.min(x.length, MAX_KEYS);
  for (let i = 0; i < n; i++) {
    const prev = i > 0 ? x[i - 1] : undefined;
    out.push([typeof prev === 'string' && isCredentialKey(prev) ? prev : i, x[i]]);
  }
  return out;
}
