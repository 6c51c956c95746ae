import { CostExceedsLimitError } from '../errors/cost-exceeds-limit-error.js';
import { CallCost } from './call-cost.js';
import type { Cost, Limits } from './types.js';

/** The error an `acquire` with these arguments must reject with, or undefined when they are fine. */
export function checkAcquire(
  limits: Limits,
  cost: Cost,
  priority: number,
  deadline: number | undefined,
): Error | undefined {
  if (typeof cost !== 'object' || cost === null)
    return new TypeError('steady: cost must be an object like { calls: 1 }');
  if (cost instanceof CallCost) {
    // Its two names are its own: no walk.
    const bad = dimensionError(limits, 'calls', 1) ?? dimensionError(limits, 'tokens', cost.tokens);
    if (bad) return bad;
  } else {
    for (const d in cost) {
      const bad = dimensionError(limits, d, cost[d]);
      // Only a name that fails is checked for being the cost's own (an inherited one is ignored).
      if (bad && Object.hasOwn(cost, d)) return bad;
    }
  }
  if (typeof priority !== 'number' || !Number.isFinite(priority))
    return new TypeError('steady: priority must be a finite number');
  if (deadline !== undefined && (typeof deadline !== 'number' || Number.isNaN(deadline))) {
    return new TypeError('steady: deadline must be a clock time in milliseconds');
  }
  return undefined;
}

/** The error for `v` units of dimension `d`: not a finite number ≥ 0, or more than its limit. */
function dimensionError(limits: Limits, d: string, v: unknown): Error | undefined {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
    return new RangeError(`steady: cost "${d}" must be a finite number ≥ 0 (got ${String(v)})`);
  const spec = limits[d];
  if (!spec || v <= spec.limit) return undefined;
  return new CostExceedsLimitError(
    `steady: a call costing ${v} ${d} can never fit the limit of ${spec.limit} ${d} per ${spec.windowMs} ms`,
  );
}
