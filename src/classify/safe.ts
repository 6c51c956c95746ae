/** Total helpers for reading untrusted values: property reads that never throw. */

/** `o[key]`, or `undefined` when `o` is not an object or the read throws (a getter, a Proxy). */
export function get(o: unknown, key: string | symbol): unknown {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return undefined;
  try {
    return (o as Record<string | symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}

export function isObject(o: unknown): o is object {
  return o !== null && (typeof o === 'object' || typeof o === 'function');
}

/** A string value, or `undefined`. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `s` cut to `max` characters. */
export function cap(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
