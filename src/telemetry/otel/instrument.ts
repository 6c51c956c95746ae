import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Attributes,
  context,
  type MeterProvider,
  metrics,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type Around, addAround, internalsOf } from '../../policy/around.js';
import type { Policy } from '../../policy/policy.js';
import { checkShape, invalid, isObject, methods, type Shape } from '../../validate.js';
import { ATTR } from './attributes.js';
import { CallTrace, type Telemetry } from './call-trace.js';
import { createInstruments, observeState } from './metrics.js';

export interface InstrumentOptions {
  /** Where the spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** Where the metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider;
  /**
   * Added to every span and metric point, e.g. `{ 'steady.policy': 'chat' }` to tell two
   * instrumented policies apart. Values are strings, numbers or booleans.
   */
  attributes?: Attributes;
}

/** What `instrument` returns: `uninstrument()` (or `using`) takes it all away again. */
export interface Instrumentation {
  /** Stops tracing and measuring: no more spans, the listeners and gauge callbacks removed. Calls in flight finish their spans. */
  uninstrument(): void;
  [Symbol.dispose](): void;
}

const NAME = 'steady';

const OPTIONS_SHAPE: Shape = {
  tracerProvider: methods(['getTracer'], 'a TracerProvider (from @opentelemetry/api or the SDK)'),
  meterProvider: methods(['getMeter'], 'a MeterProvider (from @opentelemetry/api or the SDK)'),
  attributes: (value, path) => {
    if (value === undefined) return;
    if (!isObject(value) || Array.isArray(value)) throw invalid(path, 'an object of attributes', value);
    for (const [key, v] of Object.entries(value)) {
      if (!['string', 'number', 'boolean'].includes(typeof v))
        throw invalid(`${path}.${key}`, 'a string, number or boolean', v);
    }
  },
};

/**
 * OpenTelemetry spans and metrics for every call of `policy`: a span per call (the GenAI client
 * span: `chat command-a-03-2025` when the operation and model are known, else `steady.call`) with
 * a child span per attempt, which is the active span while `fn` runs, so the span of an HTTP
 * client's instrumentation nests under the attempt that made the request. Metrics: the GenAI
 * conventions' `gen_ai.client.token.usage` and `gen_ai.client.operation.duration`, and steady's
 * own (attempts, retries, 429s, limiter waits, queue length, breaker state, retry budget).
 *
 * ```ts
 * const otel = instrument(policy);   // the global providers, as NodeSDK registers them
 * // …
 * otel.uninstrument();
 * ```
 *
 * **Gotchas**
 * - Instrument after the OpenTelemetry SDK is started: the global meter provider read before that
 *   is the no-op one (tracing, which the API proxies, works either way).
 * - The attempt span is only the active one where a context manager propagates it (NodeSDK
 *   registers one; with a bare provider, register `AsyncLocalStorageContextManager`).
 * - Spans never hold a request, a response or a key: messages come from the redacted error.
 */
export function instrument(policy: Policy, options: InstrumentOptions = {}): Instrumentation {
  const p = internalsOf(policy);
  if (!p) throw new TypeError('steady: instrument(policy) needs a policy from createPolicy()');
  checkShape(options, '', OPTIONS_SHAPE, 'instrument');
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(NAME);
  const common: Attributes = { ...options.attributes };
  if (p.provider) common[ATTR.provider] = p.provider;
  const t: Telemetry = { p, tracer, metrics: createInstruments(meter), common };
  const calls = new AsyncLocalStorage<CallTrace>();

  const around: Around = {
    call(runOptions, run) {
      let call: CallTrace;
      try {
        call = new CallTrace(t, runOptions);
      } catch {
        return run(); // telemetry that fails never fails the call
      }
      return context
        .with(call.ctx, () => calls.run(call, run))
        .then(
          (value) => {
            guard(() => call.end(false));
            return value;
          },
          (error: unknown) => {
            guard(() => call.end(true, error));
            throw error;
          },
        );
    },
    attempt(attempt, run) {
      const call = calls.getStore();
      if (!call) return run(); // a call that began before instrument()
      let span: ReturnType<CallTrace['startAttempt']>;
      try {
        span = call.startAttempt(attempt);
      } catch {
        return run();
      }
      return context.with(trace.setSpan(call.ctx, span), run).then(
        (value) => {
          guard(() => call.attemptSucceeded(span, value));
          return value;
        },
        (error: unknown) => {
          guard(() => call.attemptFailed(span, error));
          throw error;
        },
      );
    },
  };

  const offs = [
    policy.on('throttle', (e) => {
      t.metrics.throttle.record(e.waitedMs / 1000, { ...common, [ATTR.throttleDimension]: e.dimension });
      calls.getStore()?.throttled(e);
    }),
    policy.on('retry', (e) => {
      t.metrics.retries.add(1, { ...common, [ATTR.reason]: e.verdict.reason });
      calls.getStore()?.settleAttempt(e.verdict, e.delayMs);
    }),
    policy.on('fail', (e) => {
      const call = calls.getStore();
      if (!call) return;
      call.verdict = e.verdict;
      call.settleAttempt(e.verdict);
    }),
    addAround(p, around),
    observeState(meter, p, common),
  ];
  let done = false;
  const uninstrument = () => {
    if (done) return;
    done = true;
    for (const off of offs) off();
  };
  return { uninstrument, [Symbol.dispose]: uninstrument };
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // A span or metric that cannot be recorded never changes the call's outcome.
  }
}
