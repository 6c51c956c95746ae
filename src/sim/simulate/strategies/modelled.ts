/**
 * The other strategies, modelled in virtual time (the libraries read the global timers, which a
 * virtual clock cannot drive): each is what its library does with its documented defaults.
 *
 * - `fixed-window`: Bottleneck's reservoir, `{ reservoir: N, reservoirRefreshAmount: N,
 *   reservoirRefreshInterval: 60_000 }`: N calls per fixed minute counted from the start, tokens not
 *   counted (Bottleneck takes one weight per job). Retries come from a `failed` handler returning
 *   the server's Retry-After (else 1 s) up to `--attempts`; as in Bottleneck, a retried job runs
 *   again without going back through the reservoir.
 * - `p-retry`: p-retry's defaults, no limiter: `retries: 10` (11 attempts), waits of 1 s × 2ⁿ,
 *   no jitter, every error retried, the server's Retry-After not read.
 */
import { sleep } from '../../../clock.js';
import { createPolicy } from '../../../policy/policy.js';
import { cohere } from '../../../presets/index.js';
import { type CallRecord, codeOf } from '../record.js';
import { HttpFailure } from '../server.js';
import type { WorkCall } from '../workload.js';
import { Reservoir } from './reservoir.js';
import type { Strategy, StrategyContext } from './types.js';

let labeller: ReturnType<typeof createPolicy> | undefined;
/** Names the reason of a failure for the report, as steady would classify it. */
function reasonOf(error: unknown): string {
  labeller ??= createPolicy({ ...cohere(), breaker: false, budget: false });
  const verdict = labeller.classify(error);
  return verdict.action === 'ok' ? 'unclassified' : verdict.reason;
}

interface Loop {
  maxAttempts: number;
  /** The wait after failed attempt `attempt` (1-based). */
  delayMs(attempt: number, error: unknown): number;
}

async function retrying(ctx: StrategyContext, call: WorkCall, record: CallRecord, loop: Loop) {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.send(call, record);
      record.outcome = 'ok';
      return;
    } catch (error) {
      if (attempt >= loop.maxAttempts) {
        record.outcome = `gave up (${codeOf(error) === 'ECONNRESET' ? 'reset' : statusOf(error)})`;
        return;
      }
      const delayMs = loop.delayMs(attempt, error);
      record.retries.push({ at: ctx.clock.now(), reason: reasonOf(error), delayMs });
      await sleep(ctx.clock, delayMs);
    }
  }
}

const statusOf = (error: unknown) => (error instanceof HttpFailure ? String(error.status) : codeOf(error));

function retryAfterMs(error: unknown): number | undefined {
  const value = error instanceof HttpFailure ? Number(error.headers['retry-after']) : Number.NaN;
  return Number.isFinite(value) ? value * 1000 : undefined;
}

export function fixedWindowStrategy(ctx: StrategyContext): Strategy {
  const reservoir = new Reservoir(ctx.options.limits.calls, 60_000, ctx.clock);
  return {
    name: 'fixed-window',
    label: 'fixed window',
    async run(call, record) {
      const waitedMs = await reservoir.take();
      if (waitedMs > 0) record.throttles.push({ dimension: 'calls', waitedMs });
      await retrying(ctx, call, record, {
        maxAttempts: ctx.options.attempts,
        delayMs: (_attempt, error) => retryAfterMs(error) ?? 1_000,
      });
    },
  };
}

export function pRetryStrategy(ctx: StrategyContext): Strategy {
  return {
    name: 'p-retry',
    label: 'p-retry defaults',
    run: (call, record) =>
      retrying(ctx, call, record, { maxAttempts: 11, delayMs: (attempt) => 1_000 * 2 ** (attempt - 1) }),
  };
}
