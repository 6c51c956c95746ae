import { SteadyError } from './steady-error.js';

/** Every allowed attempt failed with a retryable verdict, or the server asked for a wait longer than `maxRetryAfterMs`. */
export class RetriesExhaustedError extends SteadyError {
  override name = 'RetriesExhaustedError' as const;
  override readonly code = 'ERR_RETRIES_EXHAUSTED' as const;
}
