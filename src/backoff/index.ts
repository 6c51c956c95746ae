export { constant } from './constant.js';
export { type ExponentialOptions, exponential, type Jitter } from './exponential.js';
export type { Backoff, BackoffStep } from './types.js';
