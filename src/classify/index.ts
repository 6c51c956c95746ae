export { classify, classifyOutcome } from './classify.js';
export { toOutcome } from './extract.js';
export type { Outcome } from './outcome.js';
export { parseRetryAfter, parseRetryAfterText } from './retry-after.js';
export type { Rule } from './rule.js';
export type {
  FailReason,
  FailVerdict,
  LimitDimension,
  OkVerdict,
  RetryReason,
  RetryVerdict,
  Verdict,
} from './verdict.js';
export { OK } from './verdict.js';
