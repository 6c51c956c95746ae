import { BUDGET_SHAPE } from '../budget/budget.js';
import { checkLimiterOptions, checkLimits, clockCheck, LIMITER_SHAPE } from '../limit/check-options.js';
import { checkEndpoints } from '../limit/endpoints.js';
import {
  arrayOf,
  type Check,
  checkShape,
  func,
  invalid,
  isObject,
  methods,
  number,
  offOr,
  requiredFunc,
  type Shape,
  shape,
} from '../validate.js';

/** `createPolicy`'s options, each with its check (the one checker in `src/validate.ts`). */

const RETRY_SHAPE: Shape = {
  maxAttempts: number({ min: 1, integer: true, infinite: true }),
  maxElapsedMs: number({ above: true }),
  attemptTimeoutMs: number({ above: true }),
  backoff: methods(['next'], 'a Backoff such as exponential()'),
  maxRetryAfterMs: number(),
};

const rules: Check = arrayOf(requiredFunc, 'rules (functions)');

const bool: Check = (value, path) => {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(path, 'true or false', value);
};

/** The policy's `limiter` options: the built-in limiter's, `fromHeaders` and `endpoints`. */
const POLICY_LIMITER_SHAPE: Shape = { ...LIMITER_SHAPE, fromHeaders: bool, endpoints: checkEndpoints };

/** A `Limiter` of your own (it has `acquire`), or options for the built-in one. */
const limiter: Check = (value, path) => {
  if (value === undefined) return;
  if (isObject(value) && 'acquire' in value) methods(['acquire', 'pause'], 'a Limiter')(value, path);
  else checkLimiterOptions(value, path, path, POLICY_LIMITER_SHAPE);
};

/** A policy's limits may be empty (then there is no limiter). */
const limits: Check = (value, path) => {
  if (value !== undefined) checkLimits(value, path, true);
};

/** `on` is checked where the listeners are added (the Emitter), against the event names. */
const on: Check = () => {};

const POLICY_SHAPE: Shape = {
  rules,
  classifier: rules,
  retry: shape(RETRY_SHAPE),
  classify: shape({ maxBodyBytes: number({ integer: true, infinite: true }) }),
  limits,
  limiter,
  endpoints: checkEndpoints,
  serverLimits: func,
  usage: func,
  estimate: func,
  provider: (value, path) => {
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw invalid(path, "a provider's name such as 'cohere'", value);
  },
  tokenUsage: func,
  breaker: offOr({ cooldownMs: number({ infinite: false }) }),
  budget: offOr(BUDGET_SHAPE),
  clock: clockCheck,
  random: methods(['next'], 'a Random'),
  on,
};

/** Checks every option of `createPolicy`; each error names the option by its full path. */
export function checkPolicyOptions(options: unknown): void {
  checkShape(options, '', POLICY_SHAPE, 'createPolicy');
  const { limiter: lim, limits: l, endpoints, serverLimits } = options as Record<string, unknown>;
  const hasLimits =
    (isObject(l) && Object.keys(l).length > 0) ||
    isObject(endpoints) ||
    (isObject(lim) && (isObject(lim.endpoints) || (lim.fromHeaders !== false && serverLimits !== undefined)));
  if (isObject(lim) && !('acquire' in lim) && !hasLimits) {
    throw new TypeError(
      'steady: limiter options need limits: set limits (e.g. { calls: { limit: 40, windowMs: 60_000 } }, or spread a preset that has them) or pass a Limiter',
    );
  }
}
