import type { Outcome } from './outcome.js';
import type { Verdict } from './verdict.js';

/**
 * One classification rule. Returns a verdict to decide, or `undefined` to abstain and let the next
 * rule decide. Rules run in order: the user's `rules` first, then the preset's, then the generic
 * HTTP rules; the first verdict wins.
 */
export type Rule = (outcome: Outcome) => Verdict | undefined;
