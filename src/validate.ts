/**
 * The one option checker. Every constructor (createPolicy, createLimiter, MemoryStore, exponential,
 * constant, the presets and adapters) describes its options as a `Shape` and checks them here, so
 * every mistake fails at construction with the same wording, naming the option by its full path:
 *
 * - `steady: retry.maxAttemps is not an option of retry; did you mean maxAttempts?`
 * - `steady: retry.maxAttempts must be an integer >= 1 or Infinity, got 0`
 *
 * Wrong types, names and choices throw a `TypeError`, numbers out of range a `RangeError`. A value is shown by its type,
 * or itself when it is a number, a boolean or a short string: never a long string or an object's
 * contents, which might hold a key.
 */

/** Checks one option's value; throws naming `path`. `undefined` means "left out". */
export type Check = (value: unknown, path: string) => void;

/** The known options of one object, each with its check. */
export type Shape = Readonly<Record<string, Check>>;

/** `value` in words, safe to put in a message. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return value.length <= 16 ? `'${value}'` : `a string of ${value.length} characters`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'object':
      return typeof (value as { then?: unknown }).then === 'function' ? 'a promise' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** The error for an option that holds the wrong thing. */
export function invalid(path: string, what: string, value: unknown, range = false): TypeError {
  const message = `steady: ${path} must be ${what}, got ${show(value)}`;
  return range ? new RangeError(message) : new TypeError(message);
}

/** The nearest of `known` to `name` (case aside, or at most a third of its letters off), if any is near. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, with a transposition counted as one edit; names are short. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return 99;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** `steady: <path> is not <kind> of <owner>; did you mean <nearest>?` */
export function unknownName(path: string, name: string, known: readonly string[], kind: string): TypeError {
  const near = nearest(name, known);
  const hint = near === undefined ? `; known: ${known.join(', ')}` : `; did you mean ${near}?`;
  return new TypeError(`steady: ${path} is not ${kind}${hint}`);
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** True for a plain options object (not null, an array or a function). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an options object against `shape`: it must be an object, every key must be known (else the
 * error suggests the nearest), and every known key passes its check. `path` is where the object
 * sits ('' at the top); `owner` names it in "is not an option of …".
 */
export function checkShape(value: unknown, path: string, shape: Shape, owner: string = path): void {
  if (!isObject(value)) throw invalid(path === '' ? `${owner} options` : path, 'an object', value);
  const known = Object.keys(shape);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) {
      throw unknownName(join(path, key), key, known, `an option of ${owner}`);
    }
  }
  for (const key of known) shape[key]!(value[key], join(path, key));
}

/** A nested options object; left out is fine. */
export function shape(of: Shape): Check {
  return (value, path) => {
    if (value !== undefined) checkShape(value, path, of);
  };
}

/** The check, but `undefined` is an error too. */
export function required(check: Check, what: string): Check {
  return (value, path) => {
    if (value === undefined) throw new TypeError(`steady: ${path} is required: ${what}`);
    check(value, path);
  };
}

export interface NumberRule {
  /** The least allowed value. @default 0 */
  min?: number;
  /** `min` itself is not allowed. */
  above?: boolean;
  /** Only whole numbers (Infinity too when `infinite`). */
  integer?: boolean;
  /** Infinity is allowed. @default true unless `integer` */
  infinite?: boolean;
}

/** A number in range; left out is fine. */
export function number(rule: NumberRule = {}): Check {
  const { min = 0, above = false, integer = false, infinite = !integer } = rule;
  const bound = min === Number.NEGATIVE_INFINITY ? '' : ` ${above ? '>' : '>='} ${min}`;
  const what = `${integer ? 'an integer' : 'a number'}${bound}${
    infinite ? (integer ? ' or Infinity' : '') : integer ? '' : ' (finite)'
  }`;
  return (value, path) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || Number.isNaN(value)) throw invalid(path, what, value);
    const inRange = above ? value > min : value >= min;
    const whole = !integer || Number.isInteger(value) || (infinite && value === Number.POSITIVE_INFINITY);
    const finite = infinite || Number.isFinite(value);
    if (!inRange || !whole || !finite) throw invalid(path, what, value, true);
  };
}

/** One of a few strings; left out is fine. */
export function oneOf(allowed: readonly string[]): Check {
  const what = `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  return (value, path) => {
    if (value === undefined) return;
    if (typeof value !== 'string') throw invalid(path, what, value);
    if (!allowed.includes(value)) {
      const near = nearest(value, allowed);
      throw new TypeError(
        `steady: ${path} must be ${what}, got ${show(value)}${near ? `; did you mean '${near}'?` : ''}`,
      );
    }
  };
}

/** A function; left out is fine. */
export const func: Check = (value, path) => {
  if (value !== undefined && typeof value !== 'function') throw invalid(path, 'a function', value);
};

/** An object with these methods (`what` describes it, e.g. "a Clock"); left out is fine. */
export function methods(names: readonly string[], what: string): Check {
  const full = `${what} with ${names.map((n) => `${n}()`).join(', ')}`;
  return (value, path) => {
    if (value === undefined) return;
    if (typeof value !== 'object' || value === null) throw invalid(path, full, value);
    for (const name of names) {
      if (typeof (value as Record<string, unknown>)[name] !== 'function')
        throw new TypeError(`steady: ${path}.${name} must be a function (${path} must be ${full})`);
    }
  };
}

/** An array whose every item passes `item` (named `path[i]`); left out is fine. */
export function arrayOf(item: Check, what: string): Check {
  return (value, path) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) throw invalid(path, `an array of ${what}`, value);
    value.forEach((v, i) => {
      item(v, `${path}[${i}]`);
    });
  };
}

/** A required function. */
export const requiredFunc: Check = required(func, 'a function');

/** `false` (turned off) or the options object `of`. */
export function offOr(of: Shape): Check {
  const inner = shape(of);
  return (value, path) => {
    if (value === false) return;
    if (value !== undefined && !isObject(value)) throw invalid(path, 'false or an options object', value);
    inner(value, path);
  };
}
