import { SteadyError } from './steady-error.js';

/** The call failed in a way that retrying cannot fix (a `fail` verdict). `cause` is the underlying error. */
export class FatalError extends SteadyError {
  override name = 'FatalError' as const;
  override readonly code = 'ERR_FATAL' as const;
}
