export { buildLimiter, createLimiter } from './create-limiter.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type {
  CreateLimiterOptions,
  LimiterAlgorithm,
  LimiterOptions,
  LimiterReservation,
  SteadyLimiter,
  ThrottleInfo,
} from './options.js';
export type { LimiterStore, MaybePromise, ReserveResult, StoreBinding } from './store.js';
export type { AcquireOptions, Cost, Limiter, LimitSpec, Limits, Reservation } from './types.js';
