import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { sleep } from '../../clock.js';
import { FatalError } from '../../errors/fatal-error.js';
import type { Limits, TryAcquireResult } from '../../limit/types.js';
import { costOf, settleFailed } from '../../policy/admission.js';
import type { RunOptions } from '../../policy/options.js';
import { pastDeadline } from '../../policy/outcomes.js';
import type { Policy } from '../../policy/policy.js';
import { checkShape, func, number, type Shape, show } from '../../validate.js';
import { assertPolicy } from '../shared/retry-decision.js';
import { type JobHistory, readHistory, writeHistory } from './history.js';
import { DeferralLine } from './line.js';

/** What the job's function gets for one attempt. */
export interface JobAttemptContext {
  /** Pass it on to the client: BullMQ's own signal for the job when it gives one (it aborts on cancel). */
  signal: AbortSignal;
  /** 1 for the first attempt, counted across deferrals. */
  attempt: number;
}

export interface BullmqProcessorOptions<D = unknown> {
  /**
   * The longest a job waits inside its worker slot, all waits of one run together (a limiter
   * wait, a backoff, a `Retry-After`). A longer wait defers the job instead. @default 1000
   */
  maxHoldMs?: number;
  /** The run options of a job: its token estimate or cost, the secrets it uses. */
  runOptions?: (job: Job<D>) => Pick<RunOptions, 'tokens' | 'cost' | 'secrets'> | undefined;
}

const OPTIONS_SHAPE: Shape = {
  maxHoldMs: number({ infinite: false }),
  runOptions: func,
};

/** Thrown inside the processor to defer the job: `moveToDelayed` was called already. */
class Deferral {
  constructor(readonly ms: number) {}
}

/**
 * A BullMQ processor that runs `fn` under `policy` and defers a job rather than hold its worker slot:
 *
 * ```ts
 * const worker = new Worker('chat', bullmqProcessor(policy, (job, { signal }) =>
 *   client.chat(job.data.request, { abortSignal: signal })), { connection, concurrency: 5 });
 * ```
 *
 * - Admission: `policy.limiter.tryAcquire`. Room now: the attempt runs. Else a wait that fits what
 *   is left of `maxHoldMs` is slept in the slot; a longer one defers the job
 *   (`job.moveToDelayed(Date.now() + ms, token)` and `DelayedError`: no BullMQ attempt is spent).
 * - Deferred jobs queue: each comes back one job's share of the limit's rate after the one deferred
 *   before it (line.ts), so jobs refused for the same wait or 429 pause do not return at one instant.
 * - After a failed attempt: `policy.decide`. A retry waits (in the slot, or deferred) as above.
 *   A `fail` verdict ends the job with `UnrecoverableError` (the steady error's redacted message,
 *   the `FatalError` as its `cause`); `RetriesExhaustedError` and `DeadlineExceededError` fail it
 *   as a normal error. A 429 pauses the policy's limiter, so with `redisStore` every worker on the
 *   key stops until the server's time (BullMQ's own rate limiter is not used).
 * - The history (attempts so far, first start) travels in `job.data.__steady` (reserved; your
 *   data is kept beside it), written when the job is deferred, so `maxAttempts` and
 *   `maxElapsedMs` count across deferrals.
 *
 * **Gotchas**: leave the job's BullMQ `attempts` at 1 (the default): steady does the retrying, and a
 * BullMQ retry of an exhausted job would start over past `maxAttempts`. `retry.attemptTimeoutMs` is
 * not applied here; use BullMQ's lock or your client's timeout. A job whose worker crashed mid-run
 * restarts from the history last written (the attempts of that run are not counted).
 */
export function bullmqProcessor<D = unknown, R = unknown>(
  policy: Policy,
  fn: (job: Job<D, R>, ctx: JobAttemptContext) => R | PromiseLike<R>,
  options: BullmqProcessorOptions<D> = {},
): (job: Job<D, R>, token?: string, signal?: AbortSignal) => Promise<R> {
  assertPolicy(policy, 'bullmqProcessor');
  if (typeof fn !== 'function')
    throw new TypeError(`steady: bullmqProcessor(policy, fn): fn must be a function, got ${show(fn)}`);
  checkShape(options, '', OPTIONS_SHAPE, 'bullmqProcessor');
  const { maxHoldMs = 1_000, runOptions } = options;
  const limiter = policy.limiter;
  if (limiter && typeof limiter.tryAcquire !== 'function') {
    throw new TypeError('steady: bullmqProcessor needs a limiter with tryAcquire() (createLimiter has it)');
  }
  const { clock, maxElapsedMs } = policy.retrySettings;
  const line = new DeferralLine((limiter as { limits?: Limits } | undefined)?.limits);

  return async (job, token, signal) => {
    const run = runOptions?.(job as Job<D>) ?? {};
    const cost = costOf(run);
    const history: JobHistory = readHistory(job) ?? { attempt: 0, startedAt: clock.now() };
    const deadline = history.startedAt + maxElapsedMs;
    let heldMs = 0;
    let previousStep: Parameters<Policy['decide']>[1]['previousStep'];
    const attemptSignal = signal ?? new AbortController().signal;

    /** Waits `ms` in the slot if it fits what is left of maxHoldMs, else defers the job. */
    const wait = async (ms: number) => {
      if (heldMs + ms > maxHoldMs) throw new Deferral(ms);
      heldMs += ms;
      await sleep(clock, ms, signal);
    };

    try {
      for (;;) {
        let reservation: Extract<TryAcquireResult, { ok: true }>['reservation'] | undefined;
        while (limiter) {
          const r = await limiter.tryAcquire!(cost);
          if (r.ok) {
            reservation = r.reservation;
            break;
          }
          if (clock.now() + r.retryInMs >= deadline) {
            throw pastDeadline(maxElapsedMs, undefined, undefined, history.attempt, r.retryInMs, run.secrets);
          }
          await wait(r.retryInMs);
        }
        const attempt = ++history.attempt;
        let result: R;
        try {
          result = await fn(job, { signal: attemptSignal, attempt });
        } catch (err) {
          if (reservation) settleFailed(reservation, err);
          const d = policy.decide(err, { attempt, startedAt: history.startedAt, previousStep }, run);
          if (d.action === 'fail') {
            if (d.error instanceof FatalError) {
              const e = new UnrecoverableError(d.error.message);
              (e as { cause?: unknown }).cause = d.error;
              throw e;
            }
            throw d.error;
          }
          previousStep = d.step;
          await wait(d.delayMs);
          continue;
        }
        if (reservation) {
          try {
            reservation.commit(policy.usage(result));
          } catch {
            // The call succeeded and was billed; the ledger's trouble is not the job's.
          }
        }
        policy.recordSuccess();
        return result;
      }
    } catch (err) {
      if (!(err instanceof Deferral)) throw err;
      await writeHistory(job, history);
      const ms = line.place(err.ms, cost, clock.now());
      await job.moveToDelayed(Date.now() + Math.ceil(ms), token);
      throw new DelayedError();
    }
  };
}
