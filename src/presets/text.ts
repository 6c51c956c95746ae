import { get, isObject } from '../classify/safe.js';

/** What the presets' token estimators share: the characters of the text under a request field. */

/** Keys inside those fields that are not text the model reads as tokens. */
export const SKIP_KEYS: ReadonlySet<string> = new Set([
  'role',
  'type',
  'id',
  'image_url',
  'imageUrl',
  'image',
]);
const MAX_DEPTH = 8;
const MAX_NODES = 100_000;

/**
 * Total characters of the strings under `value`, except under the keys in `skip`; a cycle is cut, a
 * repeated (acyclic) reference counts again. At most 100,000 nodes, 8 levels deep, are visited.
 */
export function countChars(value: unknown, skip: ReadonlySet<string> = SKIP_KEYS): number {
  let chars = 0;
  let nodes = 0;
  const seen = new Set<object>(); // the objects on the current path
  const visit = (v: unknown, depth: number): void => {
    if (++nodes > MAX_NODES) return;
    if (typeof v === 'string') {
      chars += v.length;
      return;
    }
    if (!isObject(v) || depth > MAX_DEPTH || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v) visit(item, depth + 1);
    } else {
      for (const key of Object.keys(v)) {
        if (!skip.has(key)) visit(get(v, key), depth + 1);
      }
    }
    seen.delete(v);
  };
  visit(value, 0);
  return chars;
}

/** `v` when it is a finite number of at least 0. */
export function nonNegative(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
