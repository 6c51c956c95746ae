import { systemClock } from '../clock.js';
import { httpRules } from '../presets/http.js';
import { toOutcome } from './extract.js';
import type { Outcome } from './outcome.js';
import { parseRetryAfter, parseRetryAfterText } from './retry-after.js';
import type { Rule } from './rule.js';
import type { Verdict } from './verdict.js';

/**
 * Decides what to do about one outcome. `rules` run in order and the first verdict wins; then the
 * generic HTTP rules; then `fail / unclassified` (scope `request`).
 *
 * The verdict is completed from the outcome: `status` and `message` when the rule did not set
 * them, and for a `retry` without `retryAfterMs`, the server's wait from the headers (see
 * {@link parseRetryAfter}) or else from the message text ({@link parseRetryAfterText}).
 *
 * **Gotchas**: a rule that throws is a bug in that rule, and the error propagates; it is not
 * treated as an abstention, which would hide it behind a default verdict.
 *
 * @param now Clock time that an HTTP-date `Retry-After` or an epoch reset header is measured from.
 */
export function classifyOutcome(outcome: Outcome, rules: readonly Rule[], now: number): Verdict {
  const verdict = decide(outcome, rules) ?? decide(outcome, httpRules) ?? unclassified();
  return complete(verdict, outcome, now);
}

/**
 * `toOutcome` then `classifyOutcome`: the verdict for whatever a call produced (a Response, an
 * error from fetch / got / axios / cohere-ai, a network error, an abort, a `{ status, body }`).
 *
 * @param rules Tried before the generic HTTP rules, e.g. `cohere().classifier`. @default []
 * @param now Clock time for date-valued hints. @default systemClock.now()
 */
export function classify(x: unknown, rules: readonly Rule[] = [], now: number = systemClock.now()): Verdict {
  return classifyOutcome(toOutcome(x), rules, now);
}

function decide(outcome: Outcome, rules: readonly Rule[]): Verdict | undefined {
  for (const rule of rules) {
    const verdict = rule(outcome);
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}

function unclassified(): Verdict {
  return { action: 'fail', reason: 'unclassified', scope: 'request' };
}

function complete(verdict: Verdict, outcome: Outcome, now: number): Verdict {
  const out: Verdict = { ...verdict };
  if (out.status === undefined && outcome.status !== undefined) out.status = outcome.status;
  if (out.message === undefined && outcome.message !== undefined) out.message = outcome.message;
  if (out.action === 'retry' && out.retryAfterMs === undefined) {
    const hint = parseRetryAfter(outcome.headers, now) ?? parseRetryAfterText(outcome.message);
    if (hint !== undefined) out.retryAfterMs = hint;
  }
  return out;
}
