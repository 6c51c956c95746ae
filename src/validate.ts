/** Option checks shared by every constructor: each error names the option it is about. */

/** Throws a RangeError naming the option unless `value` is a number ≥ `min` (and an integer when asked). */
export function assertNumber(
  name: string,
  value: unknown,
  min = 0,
  integer = false,
): asserts value is number {
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'an integer' : 'a number';
    throw new RangeError(`steady: option "${name}" must be ${kind} >= ${min}, got ${String(value)}`);
  }
}

/** Like `assertNumber`, for an option that may be left out. */
export function assertOptionalNumber(name: string, value: unknown, min = 0, integer = false): void {
  if (value !== undefined) assertNumber(name, value, min, integer);
}

/** Throws a TypeError naming the option unless `value` is a function (or undefined when optional). */
export function assertFunction(name: string, value: unknown, optional = true): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'function')
    throw new TypeError(`steady: option "${name}" must be a function, got ${typeof value}`);
}
