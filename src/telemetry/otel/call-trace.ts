import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Verdict } from '../../classify/verdict.js';
import type { ThrottleEvent } from '../../hooks/events.js';
import type { RunOptions } from '../../policy/options.js';
import type { Resolved } from '../../policy/resolve.js';
import { ATTR, errorType, operationOf, shownMessage } from './attributes.js';
import type { Instruments } from './metrics.js';

/** What every call of one `instrument()` records to. */
export interface Telemetry {
  readonly p: Resolved;
  readonly tracer: Tracer;
  readonly metrics: Instruments;
  /** On every span and metric point: `gen_ai.provider.name` and the user's own `attributes`. */
  readonly common: Attributes;
}

/**
 * One call's spans: the call's own (named after the GenAI conventions, `chat command-a-03-2025`,
 * or `steady.call` when the operation is unknown) and a child per attempt, made the active span
 * while `fn` runs. A failed attempt's span stays open until the `retry` or `fail` event says what
 * steady made of it, which comes right after.
 */
export class CallTrace {
  readonly span: Span;
  /** The call's context: its span is the parent of the attempts' spans. */
  readonly ctx: Context;
  /** Metric attributes: the common ones, the operation and the model. */
  readonly genai: Attributes;
  readonly #start: number;
  #attempts = 0;
  #retryWaitMs = 0;
  #throttleWaitMs = 0;
  #throttle: ThrottleEvent | undefined;
  #failed: { span: Span; error: unknown } | undefined;
  #tokens: { input?: number; output?: number } | undefined;
  /** The call's last verdict, from the `fail` event. */
  verdict: Verdict | undefined;

  constructor(
    readonly t: Telemetry,
    readonly options: RunOptions,
  ) {
    const operation = operationOf(options.endpoint);
    const { model } = options;
    const genai: Attributes = { ...t.common };
    if (operation) genai[ATTR.operation] = operation;
    if (typeof model === 'string' && model !== '') genai[ATTR.model] = model;
    this.genai = genai;
    const attributes: Attributes = { ...genai };
    if (typeof options.tokens === 'number') attributes[ATTR.tokensEstimate] = options.tokens;
    const name = operation ? (genai[ATTR.model] ? `${operation} ${model}` : operation) : 'steady.call';
    const parent = context.active();
    this.span = t.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    this.ctx = trace.setSpan(parent, this.span);
    this.#start = t.p.clock.now();
  }

  /** The limiter made the next attempt wait. */
  throttled(e: ThrottleEvent): void {
    this.#throttle = e;
    this.#throttleWaitMs += e.waitedMs;
  }

  startAttempt(attempt: number): Span {
    const attributes: Attributes = { [ATTR.attempt]: attempt };
    if (attempt > 1) attributes[ATTR.resendCount] = attempt - 1;
    const waited = this.#throttle;
    this.#throttle = undefined;
    if (waited && waited.attempt === attempt) {
      attributes[ATTR.throttleDimension] = waited.dimension;
      attributes[ATTR.throttleWaitMs] = waited.waitedMs;
    }
    this.#attempts = attempt;
    return this.t.tracer.startSpan('steady.attempt', { kind: SpanKind.INTERNAL, attributes }, this.ctx);
  }

  attemptSucceeded(span: Span, result: unknown): void {
    span.setAttribute(ATTR.verdict, 'ok');
    span.end();
    this.t.metrics.attempts.add(1, { ...this.t.common, [ATTR.verdict]: 'ok' });
    const { tokenUsage } = this.t.p;
    if (!tokenUsage) return;
    try {
      const { usageOf } = this.options;
      this.#tokens = tokenUsage(usageOf ? usageOf(result) : result);
    } catch {
      this.#tokens = undefined; // a reader that throws reads as "unknown"
    }
  }

  attemptFailed(span: Span, error: unknown): void {
    this.#failed = { span, error };
  }

  /** The `retry` event (with its wait) or the `fail` event: what steady made of the attempt that failed. */
  settleAttempt(verdict: Verdict | undefined, delayMs?: number): void {
    const failed = this.#failed;
    if (!failed) return;
    this.#failed = undefined;
    const { span, error } = failed;
    const action = delayMs === undefined ? 'fail' : 'retry';
    const attributes: Attributes = { [ATTR.verdict]: action, [ATTR.errorType]: errorType(error, verdict) };
    if (verdict && verdict.action !== 'ok') attributes[ATTR.reason] = verdict.reason;
    if (delayMs !== undefined) {
      attributes[ATTR.retryDelayMs] = delayMs;
      this.#retryWaitMs += delayMs;
    }
    if (verdict?.action === 'retry' && verdict.retryAfterMs !== undefined)
      attributes[ATTR.retryAfterMs] = verdict.retryAfterMs;
    span.setAttributes(attributes);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: shownMessage(error, this.options.secrets, verdict),
    });
    span.end();
    const { metrics, common } = this.t;
    metrics.attempts.add(1, { ...common, [ATTR.verdict]: action });
    if (verdict?.status === 429) metrics.rateLimited.add(1, common);
  }

  /** The call settled: `error` is what the caller got (when `failed`). */
  end(failed: boolean, error?: unknown): void {
    if (this.#failed) this.settleAttempt(this.verdict);
    const { span, genai } = this;
    const { metrics, p } = this.t;
    const attributes: Attributes = {
      [ATTR.attempts]: this.#attempts,
      [ATTR.verdict]: failed ? 'fail' : 'ok',
    };
    if (this.#retryWaitMs > 0) attributes[ATTR.retryWaitMs] = this.#retryWaitMs;
    if (this.#throttleWaitMs > 0) attributes[ATTR.throttleWaitMs] = this.#throttleWaitMs;
    const measured: Attributes = { ...genai };
    if (failed) {
      const type = errorType(error, undefined);
      attributes[ATTR.errorType] = type;
      measured[ATTR.errorType] = type;
      const { verdict } = this;
      if (verdict && verdict.action !== 'ok') attributes[ATTR.reason] = verdict.reason;
      span.setStatus({ code: SpanStatusCode.ERROR, message: shownMessage(error, this.options.secrets) });
    } else {
      const tokens = this.#tokens;
      for (const [type, count, name] of [
        ['input', tokens?.input, ATTR.inputTokens],
        ['output', tokens?.output, ATTR.outputTokens],
      ] as const) {
        if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) continue;
        attributes[name] = count;
        metrics.tokenUsage.record(count, { ...genai, [ATTR.tokenType]: type });
      }
    }
    span.setAttributes(attributes);
    metrics.duration.record(Math.max(0, p.clock.now() - this.#start) / 1000, measured);
    span.end();
  }
}
