import { SteadyError } from './steady-error.js';

/**
 * Another process already uses the same shared key with different limits (or ledger options): the
 * ledger refuses to mix them. Use one set of limits per key, or a new key.
 */
export class LimitsMismatchError extends SteadyError {
  override name = 'LimitsMismatchError' as const;
  override readonly code = 'ERR_LIMITS_MISMATCH' as const;
}
