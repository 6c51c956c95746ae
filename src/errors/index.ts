export { CircuitOpenError } from './circuit-open-error.js';
export { CostExceedsLimitError } from './cost-exceeds-limit-error.js';
export { DeadlineExceededError } from './deadline-exceeded-error.js';
export { FatalError } from './fatal-error.js';
export { QueueFullError } from './queue-full-error.js';
export { rawCause } from './raw.js';
export { RetriesExhaustedError, type RetriesStoppedBy } from './retries-exhausted-error.js';
export { isSteadyError, SteadyError, type SteadyErrorOptions } from './steady-error.js';
export { StreamInterruptedError, type StreamInterruptedErrorOptions } from './stream-interrupted-error.js';
