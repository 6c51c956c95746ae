import { SteadyError, type SteadyErrorOptions } from './steady-error.js';

/** What stopped the retries: the option `retry.maxAttempts`, `retry.maxRetryAfterMs`, or the policy's retry budget. */
export type RetriesStoppedBy = 'maxAttempts' | 'maxRetryAfterMs' | 'budget';

export interface RetriesExhaustedErrorOptions extends SteadyErrorOptions {
  /** @default 'maxAttempts' */
  stoppedBy?: RetriesStoppedBy;
}

/**
 * No retry left: every allowed attempt failed with a retryable verdict, the server asked for a wait
 * longer than `maxRetryAfterMs`, or the policy's retry budget could not pay for another retry.
 * `stoppedBy` says which.
 */
export class RetriesExhaustedError extends SteadyError {
  override name = 'RetriesExhaustedError' as const;
  override readonly code = 'ERR_RETRIES_EXHAUSTED' as const;
  readonly stoppedBy: RetriesStoppedBy;

  constructor(message: string, options: RetriesExhaustedErrorOptions = {}) {
    super(message, options);
    this.stoppedBy = options.stoppedBy ?? 'maxAttempts';
  }
}
