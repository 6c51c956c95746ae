import { httpRules } from '../classify/http-rules.js';
import type { Preset } from './types.js';

export { httpRules };

/**
 * The generic HTTP preset: classification only, no limits. Its rules are the generic HTTP rules
 * (see {@link httpRules}) that every policy applies after its own anyway, so it adds no rules of
 * its own; spread it where a provider preset would go to say "no provider knowledge".
 */
export function http(): Preset {
  return { classifier: NO_RULES };
}

const NO_RULES: readonly never[] = Object.freeze([]);
