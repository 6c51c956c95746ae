import { SteadyError } from './steady-error.js';

/** An account-wide failure (401, 402, exhausted quota) was seen recently; the call failed fast without touching the network. */
export class CircuitOpenError extends SteadyError {
  override name = 'CircuitOpenError' as const;
  override readonly code = 'ERR_CIRCUIT_OPEN' as const;
}
