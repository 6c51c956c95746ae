import { SteadyError } from './steady-error.js';

/** `maxElapsedMs` ran out (or the next wait would cross it) before an attempt succeeded. */
export class DeadlineExceededError extends SteadyError {
  override name = 'DeadlineExceededError' as const;
  override readonly code = 'ERR_DEADLINE_EXCEEDED' as const;
}
