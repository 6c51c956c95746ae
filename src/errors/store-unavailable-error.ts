import { SteadyError } from './steady-error.js';

/**
 * The limiter's shared store (Redis) could not be reached and the store was told to refuse rather
 * than guess (`onError: 'closed'`). `cause` is the client's error.
 */
export class StoreUnavailableError extends SteadyError {
  override name = 'StoreUnavailableError' as const;
  override readonly code = 'ERR_STORE_UNAVAILABLE' as const;
}
