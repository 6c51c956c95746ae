/**
 * Collects what happened to each call from the policy's hooks alone. Every event is emitted inside
 * `policy.run`, in the async context of its call, so an AsyncLocalStorage set around each call
 * tells which call an event belongs to.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ThrottleEvent } from '../../hooks/events.js';
import type { Policy } from '../../policy/policy.js';

/** One retry: why, and how long the policy waited before the next attempt. */
export interface RetryFact {
  reason: string;
  delayMs: number;
}

/** What the hooks said about one call. */
export interface CallFacts {
  /** 1-based call number. */
  id: number;
  attempts: number;
  retries: RetryFact[];
  /** Time spent waiting for the limiter, over all attempts. */
  queuedMs: number;
  /** Dimensions that made it wait (`calls`, `tokens`, `pause`). */
  throttledBy: string[];
  /** `'ok'`, or the error's `code` (its `name` when it has none). */
  outcome?: string;
  elapsedMs?: number;
}

export class CallTracker {
  readonly #current = new AsyncLocalStorage<CallFacts>();
  readonly calls: CallFacts[] = [];
  /** Every throttle event. */
  readonly throttles: ThrottleEvent[] = [];

  constructor(policy: Policy) {
    policy.on('throttle', (e) => {
      this.throttles.push(e);
      const call = this.#current.getStore();
      if (!call) return;
      call.queuedMs += e.waitedMs;
      if (!call.throttledBy.includes(e.dimension)) call.throttledBy.push(e.dimension);
    });
    policy.on('attempt', (e) => {
      const call = this.#current.getStore();
      if (call) call.attempts = e.attempt;
    });
    policy.on('retry', (e) => {
      this.#current.getStore()?.retries.push({ reason: e.verdict.reason, delayMs: e.delayMs });
    });
    policy.on('success', (e) => {
      const call = this.#current.getStore();
      if (call) Object.assign(call, { outcome: 'ok', attempts: e.attempts, elapsedMs: e.elapsedMs });
    });
    policy.on('fail', (e) => {
      const call = this.#current.getStore();
      if (call)
        Object.assign(call, { outcome: codeOf(e.error), attempts: e.attempts, elapsedMs: e.elapsedMs });
    });
  }

  /** Runs `fn` (which calls the policy) as call `id`; returns its facts with its result. */
  run<T>(id: number, fn: () => Promise<T>): { facts: CallFacts; result: Promise<T> } {
    const facts: CallFacts = { id, attempts: 0, retries: [], queuedMs: 0, throttledBy: [] };
    this.calls.push(facts);
    return { facts, result: this.#current.run(facts, fn) };
  }
}

/** A rejection's stable code: a SteadyError's `code`, else the error's name. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
