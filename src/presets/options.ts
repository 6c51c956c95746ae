import { checkLimits } from '../limit/check-options.js';
import type { Check } from '../validate.js';

/** A preset's `limits` option: left out, or limits as `createPolicy` takes them (checked the same way). */
export const limitsOption: Check = (value, path) => {
  if (value !== undefined) checkLimits(value, path);
};
