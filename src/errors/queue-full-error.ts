import { SteadyError } from './steady-error.js';

/** The limiter's queue already holds `maxQueued` calls. */
export class QueueFullError extends SteadyError {
  override name = 'QueueFullError' as const;
  override readonly code = 'ERR_QUEUE_FULL' as const;
}
