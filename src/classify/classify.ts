import { systemClock } from '../clock.js';
import { show } from '../validate.js';
import { toOutcome } from './extract.js';
import { httpRules } from './http-rules.js';
import type { Outcome } from './outcome.js';
import { parseRetryAfter, parseRetryAfterText } from './retry-after.js';
import type { Rule } from './rule.js';
import { FAIL_REASONS, RETRY_REASONS, type Verdict } from './verdict.js';

/**
 * Decides what to do about one outcome. `rules` run in order and the first verdict wins; then the
 * generic HTTP rules; then `fail / unclassified` (scope `request`).
 *
 * The verdict is completed from the outcome: `status` and `message` when the rule did not set
 * them, and for a `retry` without `retryAfterMs`, the server's wait from the headers (see
 * {@link parseRetryAfter}) or else from the message text ({@link parseRetryAfterText}).
 *
 * The server's `x-should-retry: true | false` (OpenAI's and Anthropic's APIs send it, and their
 * SDKs obey it) then overrides the verdict, see {@link serverWord}.
 *
 * **Gotchas**: a rule that throws is a bug in that rule, and the error propagates; it is not
 * treated as an abstention, which would hide it behind a default verdict. Likewise a rule that
 * returns something other than `undefined` or a Verdict throws a TypeError naming the rule and what
 * it returned. A `fail` verdict without `scope` is read as `scope: 'request'`.
 *
 * @param now Clock time that an HTTP-date `Retry-After` or an epoch reset header is measured from.
 * @param ruleName How errors name rule `i`. @default `rules[i]`
 */
export function classifyOutcome(
  outcome: Outcome,
  rules: readonly Rule[],
  now: number,
  ruleName: (index: number) => string = defaultName,
): Verdict {
  const verdict = decide(outcome, rules, ruleName) ?? decide(outcome, httpRules, httpName) ?? unclassified();
  return complete(serverWord(verdict, outcome), outcome, now);
}

const defaultName = (i: number) => `rules[${i}]`;
const httpName = (i: number) => `httpRules[${i}]`;

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

function decide(outcome: Outcome, rules: readonly Rule[], name: (i: number) => string): Verdict | undefined {
  for (let i = 0; i < rules.length; i++) {
    const verdict = rules[i]!(outcome);
    if (verdict !== undefined) return checkVerdict(verdict, name, i);
  }
  return undefined;
}

/** `v` if it is a Verdict; else a TypeError naming the rule and what it returned. */
function checkVerdict(v: unknown, name: (i: number) => string, i: number): Verdict {
  if (typeof v === 'object' && v !== null) {
    const { action, reason, scope, retryAfterMs } = v as Record<string, unknown>;
    const hintOk = retryAfterMs === undefined || (typeof retryAfterMs === 'number' && retryAfterMs >= 0);
    if (action === 'ok') return v as Verdict;
    if (action === 'retry' && RETRY_REASONS.has(reason as string) && hintOk) return v as Verdict;
    if (
      action === 'fail' &&
      FAIL_REASONS.has(reason as string) &&
      (scope === undefined || scope === 'request' || scope === 'account')
    )
      return v as Verdict;
  }
  throw new TypeError(
    `steady: ${name(i)} returned ${describeValue(v)}, which is not a Verdict: return undefined to abstain, ` +
      `{ action: 'ok' }, { action: 'retry', reason } or { action: 'fail', reason, scope }`,
  );
}

function describeValue(v: unknown): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return show(v);
  const fields = ['action', 'reason', 'scope', 'retryAfterMs']
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${k}: ${show((v as Record<string, unknown>)[k])}`);
  return fields.length === 0 ? 'an object with no action' : `{ ${fields.join(', ')} }`;
}

/**
 * `x-should-retry`, the server's own word on a response: `false` turns a retry into
 * `fail / unclassified` (scope `request`: no retry reason fits, and the server gave none), `true`
 * turns a request-scoped fail into a retry (`timeout` for 408, `rate-limited` for 429, `cancelled`
 * for 499, else `server-error`). It never turns an account-scoped fail (401, 402, an exhausted quota:
 * every call on the key fails the same way, and a retry would only spend the budget) nor the caller's
 * own abort into a retry, and it is ignored without an HTTP status. Any other value is ignored.
 */
function serverWord(verdict: Verdict, outcome: Outcome): Verdict {
  const word = outcome.headers['x-should-retry'];
  if (word === undefined || outcome.status === undefined) return verdict;
  const said = word.trim().toLowerCase();
  if (said === 'false' && verdict.action === 'retry') {
    return { action: 'fail', reason: 'unclassified', scope: 'request' };
  }
  if (
    said === 'true' &&
    verdict.action === 'fail' &&
    verdict.scope !== 'account' &&
    verdict.reason !== 'aborted'
  ) {
    const { status } = outcome;
    const reason =
      status === 408
        ? 'timeout'
        : status === 429
          ? 'rate-limited'
          : status === 499
            ? 'cancelled'
            : 'server-error';
    return { action: 'retry', reason };
  }
  return verdict;
}

function unclassified(): Verdict {
  return { action: 'fail', reason: 'unclassified', scope: 'request' };
}

function complete(verdict: Verdict, outcome: Outcome, now: number): Verdict {
  const out: Verdict = { ...verdict };
  if (out.status === undefined && outcome.status !== undefined) out.status = outcome.status;
  if (out.message === undefined && outcome.message !== undefined) out.message = outcome.message;
  if (out.action === 'fail' && out.scope === undefined) out.scope = 'request';
  if (out.action === 'retry' && out.retryAfterMs === undefined) {
    const hint = parseRetryAfter(outcome.headers, now) ?? parseRetryAfterText(outcome.message);
    if (hint !== undefined) out.retryAfterMs = hint;
  }
  return out;
}
