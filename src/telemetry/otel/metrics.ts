import type { Attributes, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { QueuedLimiter } from '../../limit/limiter.js';
import type { Resolved } from '../../policy/resolve.js';
import { ATTR } from './attributes.js';

/** `gen_ai.client.token.usage`'s buckets, as the GenAI conventions give them. */
export const TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** `gen_ai.client.operation.duration`'s buckets (seconds), as the GenAI conventions give them. */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** The instruments one `instrument()` records to. */
export type Instruments = ReturnType<typeof createInstruments>;

export function createInstruments(meter: Meter) {
  return {
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      unit: '{token}',
      description: 'Measures number of input and output tokens used',
      advice: { explicitBucketBoundaries: [...TOKEN_BUCKETS] },
    }),
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      unit: 's',
      description: 'GenAI operation duration: the whole call, with its waits and retries',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    }),
    attempts: meter.createCounter('steady.attempts', {
      unit: '{attempt}',
      description: 'Attempts made, by what steady decided about each (steady.verdict: ok, retry, fail)',
    }),
    retries: meter.createCounter('steady.retries', {
      unit: '{retry}',
      description: 'Retries, by the reason of the attempt that failed (steady.reason)',
    }),
    rateLimited: meter.createCounter('steady.rate_limited', {
      unit: '{response}',
      description: '429 responses received from the server',
    }),
    throttle: meter.createHistogram('steady.throttle.duration', {
      unit: 's',
      description:
        "Waits for steady's own limiter before an attempt, by dimension (steady.throttle.dimension)",
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    }),
  };
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

/**
 * The policy's state, read when the meter collects: queue length, breaker state (1 for the current
 * one, 0 for the others) and retry budget. Returns what removes the callbacks.
 */
export function observeState(meter: Meter, p: Resolved, common: Attributes): () => void {
  const removers: (() => void)[] = [];
  const observe = (gauge: ObservableGauge, read: (r: ObservableResult) => void) => {
    const callback = (r: ObservableResult) => {
      try {
        read(r);
      } catch {
        // A reading that fails is skipped; collection goes on.
      }
    };
    gauge.addCallback(callback);
    removers.push(() => gauge.removeCallback(callback));
  };
  const { limiter, breaker, budget } = p;
  if (limiter instanceof QueuedLimiter) {
    const queue = meter.createObservableGauge('steady.queue.length', {
      unit: '{call}',
      description: "Calls waiting in steady's limiter",
    });
    observe(queue, (r) => r.observe(limiter.queued, common));
  }
  if (breaker) {
    const state = meter.createObservableGauge('steady.breaker.state', {
      unit: '1',
      description: 'The circuit breaker: 1 for its current state (steady.breaker.state), 0 for the others',
    });
    observe(state, (r) => {
      const now = breaker.state;
      for (const s of BREAKER_STATES) r.observe(s === now ? 1 : 0, { ...common, [ATTR.breakerState]: s });
    });
  }
  if (budget) {
    const tokens = meter.createObservableGauge('steady.budget.tokens', {
      unit: '{token}',
      description: 'Tokens left in the retry budget (budget.maxTokens when full)',
    });
    observe(tokens, (r) => r.observe(budget.tokens, common));
  }
  return () => {
    for (const remove of removers) remove();
  };
}
