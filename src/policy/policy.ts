import type { Verdict } from '../classify/verdict.js';
import type { Listener, PolicyEventName } from '../hooks/events.js';
import type { Limiter } from '../limit/types.js';
import { aroundCall, register } from './around.js';
import { type CallHistory, type Decision, decide } from './decide.js';
import { classifyWith, execute } from './loop.js';
import type { AttemptContext, PolicyOptions, RunOptions } from './options.js';
import { resolveOptions } from './resolve.js';
import { type RetrySettings, retryDelay } from './retry-delay.js';

export interface Policy {
  /**
   * Runs `fn` under the policy: waits for the limiter, calls it, classifies what it throws,
   * retries what can be retried. `fn` gets `{ signal, attempt }`: pass the signal on.
   */
  run<T>(fn: (ctx: AttemptContext) => T | PromiseLike<T>, options?: RunOptions): Promise<T>;
  /**
   * The same, as a function: `policy.wrap(client.chat.bind(client))`. The token cost comes from
   * the preset's `estimate` applied to the first argument (the request).
   */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => R | PromiseLike<R>,
    options?: Omit<RunOptions, 'signal'>,
  ): (...args: A) => Promise<R>;
  /** Classification alone: what the policy would decide about this error or response. */
  classify(errorOrResponse: unknown): Verdict;
  /**
   * The loop's decision after a failed attempt, for a job runner of your own (pg-boss, SQS,
   * Temporal): `{ action: 'retry', delayMs }` (max(backoff, hint)) or `{ action: 'fail', error }`
   * (`FatalError`, `RetriesExhaustedError`, `DeadlineExceededError`, redacted of `secrets` and the
   * error's own credentials, as the loop's). `history.attempt` is the attempt that failed (1 = the
   * first), `history.startedAt` the clock time the call's first attempt started. As in the loop, a
   * 429 pauses the policy's limiter and a retry spends from the retry budget; no event is emitted.
   */
  decide(error: unknown, history: CallHistory, options?: Pick<RunOptions, 'secrets'>): Decision;
  /**
   * A call run outside `policy.run` succeeded (a job runner using `decide`): refills the retry
   * budget, as a success in the loop does. Without it, `decide`'s retries drain the budget for good.
   */
  recordSuccess(): void;
  /** The policy's limiter (`undefined` without limits): adapters that admit calls themselves use its `tryAcquire`. */
  readonly limiter: Limiter | undefined;
  /** Adds a listener; returns a function that removes it. A listener that throws never breaks a call. */
  on<E extends PolicyEventName>(event: E, listener: Listener<E>): () => void;
  /** The estimate of a request's token cost, from the preset (undefined without one). */
  estimate(request: unknown): number | undefined;
  /** The usage a response reports (e.g. `{ tokens: 1_830 }`), read by the preset's reader (undefined without one). */
  usage(response: unknown): Partial<Record<string, number>> | undefined;
  /**
   * The wait the policy itself would take before retry `retryNumber` (1 = the first retry) after
   * `verdict`: max(backoff step, server hint), or `undefined` when it would give up instead. For
   * adapters that run the retries themselves (p-retry, Bottleneck); neither the deadline nor the
   * retry budget is applied (it neither spends nor reads the budget: those adapters' successes never
   * reach the policy to refill it).
   */
  retryDelay(verdict: Verdict, retryNumber: number): number | undefined;
  /** The retry settings (`maxAttempts`, `maxElapsedMs`, `clock`), read-only, for the same adapters. */
  readonly retrySettings: RetrySettings;
  /** The classification settings (`maxBodyBytes`), read-only: adapters read error bodies up to it. */
  readonly classifySettings: Readonly<{ maxBodyBytes: number }>;
}

/**
 * Builds a policy. Options are checked here, so a mistake fails at construction with an error
 * naming the option, not on the first call.
 *
 * ```ts
 * const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
 * const reply = await policy.run(({ signal }) => client.chat(req, { abortSignal: signal }), { tokens: 1_200 });
 * ```
 */
export function createPolicy(options?: PolicyOptions): Policy {
  const p = resolveOptions(options);
  const estimate = (request: unknown) => guarded(p.estimate, request);
  const policy: Policy = {
    run: (fn, runOptions) => (p.around ? aroundCall(p, fn, runOptions) : execute(p, fn, runOptions)),
    wrap:
      (fn, wrapOptions) =>
      (...args) => {
        const runOptions = { tokens: estimate(args[0]), ...wrapOptions };
        return p.around
          ? aroundCall(p, () => fn(...args), runOptions)
          : execute(p, () => fn(...args), runOptions);
      },
    classify: (x) => classifyWith(p, x),
    decide: (error, history, decideOptions) => decide(p, error, history, decideOptions?.secrets),
    recordSuccess: () => p.budget?.refill(),
    get limiter() {
      return p.limiter; // a limiter learned from the server's headers replaces the first one
    },
    on: (event, listener) => p.emitter.on(event, listener),
    estimate,
    usage: (response) => guarded(p.usage, response),
    retryDelay: (verdict, retryNumber) => retryDelay(p, verdict, retryNumber)?.delayMs,
    retrySettings: Object.freeze({
      maxAttempts: p.maxAttempts,
      maxElapsedMs: p.maxElapsedMs,
      clock: p.clock,
    }),
    classifySettings: Object.freeze({ maxBodyBytes: p.maxBodyBytes }),
  };
  register(policy, p);
  return policy;
}

/** A preset's reader applied to `x`; a reader that throws reads as "unknown". */
function guarded<R>(reader: ((x: unknown) => R | undefined) | undefined, x: unknown): R | undefined {
  if (!reader) return undefined;
  try {
    return reader(x);
  } catch {
    return undefined;
  }
}
