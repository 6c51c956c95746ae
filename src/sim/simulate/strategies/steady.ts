/** steady itself: `createPolicy` with the simulated key's limits (or, for `no-limiter`, none). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { exponential } from '../../../backoff/index.js';
import { createPolicy, type Policy } from '../../../policy/policy.js';
import { cohere, http } from '../../../presets/index.js';
import type { Preset } from '../../../presets/types.js';
import { seededRandom } from '../../../testing.js';
import { type CallRecord, codeOf } from '../record.js';
import type { SimulateOptions } from '../types.js';
import type { Strategy, StrategyContext } from './types.js';

/** The policy the simulator's options describe, on `clock`. Without `limiter`, no limits. */
export function simulatedPolicy(
  options: SimulateOptions,
  clock: StrategyContext['clock'],
  {
    limiter = true,
    windowMs = 60_000,
    safetyMarginMs,
  }: { limiter?: boolean; windowMs?: number; safetyMarginMs?: number } = {},
): Policy {
  const preset: Preset = options.preset === 'cohere' ? cohere() : http();
  const [baseMs, maxMs] = options.backoffMs;
  return createPolicy({
    ...preset,
    ...(limiter && {
      limits: {
        calls: { limit: options.limits.calls, windowMs },
        tokens: { limit: options.limits.tokens, windowMs },
      },
      ...(safetyMarginMs !== undefined && { limiter: { safetyMarginMs } }),
    }),
    retry: { maxAttempts: options.attempts, backoff: exponential({ baseMs, maxMs, jitter: 'full' }) },
    budget: options.budget === false ? false : { maxTokens: options.budget },
    clock,
    random: seededRandom(options.seed),
  });
}

/**
 * Which call each of the policy's events belongs to: they are emitted inside `policy.run`, in the
 * async context of its call, so `current.run(record, …)` around a call collects its retries and waits.
 */
export function trackPolicy(policy: Policy, now: () => number): AsyncLocalStorage<CallRecord> {
  const current = new AsyncLocalStorage<CallRecord>();
  policy.on('retry', (e) => {
    current.getStore()?.retries.push({ at: now(), reason: e.verdict.reason, delayMs: e.delayMs });
  });
  policy.on('throttle', (e) => {
    current.getStore()?.throttles.push({ dimension: e.dimension, waitedMs: e.waitedMs });
  });
  return current;
}

/** Runs calls through `policy.run`, reading retries and waits from its hooks. */
export function policyStrategy(ctx: StrategyContext, limiter: boolean): Strategy {
  const policy = simulatedPolicy(ctx.options, ctx.clock, { limiter });
  const current = trackPolicy(policy, () => ctx.clock.now());
  return {
    name: limiter ? 'steady' : 'no-limiter',
    label: limiter ? 'steady' : 'no limiter',
    run: (call, record) =>
      current.run(record, async () => {
        try {
          await policy.run(({ signal }) => ctx.send(call, record, signal), {
            tokens: call.inputTokens + call.maxTokens,
          });
          record.outcome = 'ok';
        } catch (error) {
          record.outcome = codeOf(error);
        }
      }),
  };
}
