import type { Options } from 'p-retry';
import { type Clock, sleep } from '../../clock.js';
import type { Policy } from '../../policy/policy.js';
import { assertPolicy, retryDecision } from '../shared/retry-decision.js';

/**
 * Options for p-retry 7 that retry what the policy would retry, as often, after the waits the
 * policy would take, server hints (`Retry-After` & co) included:
 *
 * ```ts
 * import pRetry from 'p-retry';
 * import { pRetryOptions } from 'steady/p-retry';
 *
 * const reply = await pRetry(() => callTheApi(), pRetryOptions(policy, { signal }));
 * ```
 *
 * - `retries` is `maxAttempts - 1`; `maxRetryTime` is `maxElapsedMs`.
 * - `shouldRetry` classifies the error: a `fail` verdict, or a server hint above
 *   `maxRetryAfterMs`, stops at once. On a retry it waits the policy's delay, on the policy's clock,
 *   and rejects with the signal's reason if `signal` aborts meanwhile. Like p-retry's own wait, it
 *   keeps the process alive unless you pass `unref: true`. p-retry's own wait is switched off
 *   (`minTimeout: 0`, `factor: 1`, `randomize: false`).
 *
 * `overrides` are p-retry options laid over these (`signal`, `onFailedAttempt`, …). Your
 * `shouldRetry` is asked too, and can only veto a retry, before any wait.
 *
 * **When to use**: your code already schedules with p-retry. Otherwise `policy.run` does all of
 * this and more.
 *
 * **Gotchas**:
 * - Throw `Error`s that carry what the classifier reads (`status`, `body`, `headers`, `code`):
 *   p-retry turns anything else into a bare `TypeError`, which is not retried. Likewise it never
 *   retries a `TypeError` that is not a network error.
 * - p-retry rejects with the last error itself, not a `FatalError` / `RetriesExhaustedError`.
 * - The policy's limiter, breaker, hooks and retry budget are not used: p-retry runs the calls.
 *   The budget is left alone on purpose: steady never sees p-retry's successes, so retries spent
 *   from it here would never be refilled. Bound an outage with `retries` and `maxRetryTime`.
 * - A wait that crosses `maxRetryTime` is still taken; p-retry checks the time when the next
 *   attempt fails (`policy.run` would give up before the wait).
 * - `retries` can only lower the policy's `maxAttempts`, never raise it.
 */
export function pRetryOptions(policy: Policy, overrides: Options = {}): Options {
  assertPolicy(policy, 'pRetryOptions');
  const { maxAttempts, maxElapsedMs, clock } = policy.retrySettings;
  const { shouldRetry: veto, signal, unref = false } = overrides;
  const waitOn = unref ? unrefd(clock) : clock;
  return {
    retries: maxAttempts - 1,
    maxRetryTime: maxElapsedMs,
    minTimeout: 0,
    factor: 1,
    randomize: false,
    ...overrides,
    async shouldRetry(context) {
      const { delayMs } = retryDecision(policy, context.error, context.retriesConsumed);
      if (delayMs === undefined) return false;
      if (veto && !(await veto(context))) return false;
      await sleep(waitOn, delayMs, signal);
      return true;
    },
  };
}

/** The same clock, with its timers unref'd (p-retry's `unref: true`): the wait does not keep the process alive. */
function unrefd(clock: Clock): Clock {
  return {
    now: () => clock.now(),
    setTimeout(fn, ms) {
      const handle = clock.setTimeout(fn, ms);
      (handle as { unref?: () => void } | null)?.unref?.();
      return handle;
    },
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
