import { CostExceedsLimitError } from '../errors/cost-exceeds-limit-error.js';
import type { Cost, Limits } from './types.js';

function fail(path: string, what: string, type = false): never {
  const msg = `steady: option "${path}" must be ${what}`;
  throw type ? new TypeError(msg) : new RangeError(msg);
}

/** Throws unless `value` is a number in range (`min` excluded when `open`). */
export function checkNumber(path: string, value: unknown, min: number, open: boolean, finite = true): void {
  if (typeof value !== 'number' || Number.isNaN(value)) fail(path, 'a number', true);
  if (finite && !Number.isFinite(value)) fail(path, 'a finite number');
  if (open ? value <= min : value < min)
    fail(path, min === 0 && open ? 'a positive number' : `at least ${min}`);
}

/** Throws unless `limits` names at least one dimension, each with a positive finite limit and window. */
export function checkLimits(limits: unknown, path = 'limits'): Limits {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    fail(path, 'an object such as { calls: { limit: 40, windowMs: 60000 } }', true);
  }
  const names = Object.keys(limits);
  if (names.length === 0)
    fail(path, 'a non-empty object such as { calls: { limit: 40, windowMs: 60000 } }', true);
  for (const name of names) {
    if (name === 'pause')
      fail(`${path}.pause`, 'renamed: "pause" is reserved for the pause after a 429', true);
    const spec = (limits as Record<string, unknown>)[name];
    if (typeof spec !== 'object' || spec === null)
      fail(`${path}.${name}`, 'an object { limit, windowMs }', true);
    const { limit, windowMs } = spec as Record<string, unknown>;
    checkNumber(`${path}.${name}.limit`, limit, 0, true);
    checkNumber(`${path}.${name}.windowMs`, windowMs, 0, true);
  }
  return limits as Limits;
}

/** Throws unless `value` is undefined or one of `allowed`. */
export function checkOneOf(path: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    fail(path, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, true);
  }
}

/** The error an `acquire` with these arguments must reject with, or undefined when they are fine. */
export function checkAcquire(
  limits: Limits,
  cost: Cost,
  priority: number,
  deadline: number | undefined,
): Error | undefined {
  if (typeof cost !== 'object' || cost === null)
    return new TypeError('steady: cost must be an object like { calls: 1 }');
  for (const [d, v] of Object.entries(cost)) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      return new RangeError(`steady: cost "${d}" must be a finite number ≥ 0 (got ${String(v)})`);
    }
    const spec = limits[d];
    if (spec && v > spec.limit) {
      return new CostExceedsLimitError(
        `steady: a call costing ${v} ${d} can never fit the limit of ${spec.limit} ${d} per ${spec.windowMs} ms`,
      );
    }
  }
  if (typeof priority !== 'number' || !Number.isFinite(priority))
    return new TypeError('steady: priority must be a finite number');
  if (deadline !== undefined && (typeof deadline !== 'number' || Number.isNaN(deadline))) {
    return new TypeError('steady: deadline must be a clock time in milliseconds');
  }
  return undefined;
}
