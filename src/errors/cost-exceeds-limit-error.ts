import { SteadyError } from './steady-error.js';

/** One call costs more than a whole window of some limit allows, so it could never be admitted. */
export class CostExceedsLimitError extends SteadyError {
  override name = 'CostExceedsLimitError' as const;
  override readonly code = 'ERR_COST_EXCEEDS_LIMIT' as const;
}
