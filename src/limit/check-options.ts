import {
  type Check,
  checkShape,
  func,
  invalid,
  isObject,
  methods,
  number,
  oneOf,
  required,
  type Shape,
} from '../validate.js';
import type { Limits } from './types.js';

/** The options of `createLimiter`, of the policy's `limiter` and of `MemoryStore`, each checked once here. */

const EXAMPLE = '{ calls: { limit: 40, windowMs: 60_000 } }';

/** `{ limit, windowMs }`: `calls` counts whole calls; other dimensions (tokens, …) any positive amount. */
const SPEC: Shape = {
  limit: required(number({ above: true, infinite: false }), 'the most units per window'),
  windowMs: required(number({ above: true, infinite: false }), 'the window in ms'),
};
const CALLS_SPEC: Shape = {
  ...SPEC,
  limit: required(number({ min: 1, integer: true }), 'the most calls per window'),
};

/** Checks `limits` at `path`: at least one dimension (unless `allowEmpty`), each `{ limit, windowMs }`. */
export function checkLimits(limits: unknown, path: string, allowEmpty = false): Limits {
  if (!isObject(limits)) throw invalid(path, `an object such as ${EXAMPLE}`, limits);
  const names = Object.keys(limits);
  if (names.length === 0 && !allowEmpty)
    throw new TypeError(`steady: ${path} must name at least one limit, such as ${EXAMPLE}`);
  for (const name of names) {
    if (name === 'pause')
      throw new TypeError(
        `steady: ${path}.pause is reserved for the pause after a 429; name the limit otherwise`,
      );
    checkShape(limits[name], `${path}.${name}`, name === 'calls' ? CALLS_SPEC : SPEC);
  }
  return limits as Limits;
}

const limitsCheck: Check = (value, path) => {
  if (value === undefined) throw new TypeError(`steady: ${path} is required, such as ${EXAMPLE}`);
  checkLimits(value, path);
};

/** A Clock: `now()`, `setTimeout()`, `clearTimeout()`. */
export const clockCheck: Check = methods(['now', 'setTimeout', 'clearTimeout'], 'a Clock');

const storeCheck: Check = methods(['tryReserve', 'settle', 'release', 'pause'], 'a LimiterStore');

/** What the default store takes. */
const STORE_SHAPE: Shape = {
  algorithm: oneOf(['rolling', 'bucket']),
  safetyMarginMs: number({ infinite: false }),
};

/** What a limiter takes besides its limits and clock: `createLimiter`'s options and the policy's `limiter`. */
export const LIMITER_SHAPE: Shape = {
  ...STORE_SHAPE,
  store: storeCheck,
  maxQueued: number({ min: 1, integer: true, infinite: true }),
  onThrottle: func,
};

/** Checks the `limiter` options at `path` (`''` for `createLimiter`'s own). */
export function checkLimiterOptions(
  value: unknown,
  path: string,
  owner: string,
  shape: Shape = LIMITER_SHAPE,
): void {
  checkShape(value, path, shape, owner);
  const options = value as Record<string, unknown>;
  if (options.store === undefined) return;
  const store = options.store as Record<string, unknown>;
  for (const hook of ['bind', 'idle']) {
    if (store[hook] !== undefined) func(store[hook], `${path === '' ? '' : `${path}.`}store.${hook}`);
  }
  if (store.bind !== undefined) return; // a store that binds takes the ledger options from the limiter
  for (const key of Object.keys(STORE_SHAPE)) {
    if (options[key] !== undefined) {
      const at = path === '' ? key : `${path}.${key}`;
      throw new TypeError(`steady: ${at} configures the default store; set it on the store passed as store`);
    }
  }
}

/** `createLimiter`'s options: the limiter's, plus `limits` (required) and `clock`. */
export const CREATE_LIMITER_SHAPE: Shape = { ...LIMITER_SHAPE, limits: limitsCheck, clock: clockCheck };

/** `MemoryStore`'s options. */
export const MEMORY_STORE_SHAPE: Shape = { ...STORE_SHAPE, limits: limitsCheck };
