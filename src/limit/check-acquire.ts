import { CostExceedsLimitError } from '../errors/cost-exceeds-limit-error.js';
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
  for (const d in cost) {
    const v = cost[d];
    const bad = typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v);
    const spec = bad ? undefined : limits[d];
    if (!bad && !(spec && v > spec.limit)) continue;
    // Only a name that fails is checked for being the cost's own (an inherited one is ignored).
    if (!Object.hasOwn(cost, d)) continue;
    if (bad) return new RangeError(`steady: cost "${d}" must be a finite number ≥ 0 (got ${String(v)})`);
    return new CostExceedsLimitError(
      `steady: a call costing ${v} ${d} can never fit the limit of ${spec!.limit} ${d} per ${spec!.windowMs} ms`,
    );
  }
  if (typeof priority !== 'number' || !Number.isFinite(priority))
    return new TypeError('steady: priority must be a finite number');
  if (deadline !== undefined && (typeof deadline !== 'number' || Number.isNaN(deadline))) {
    return new TypeError('steady: deadline must be a clock time in milliseconds');
  }
  return undefined;
}
