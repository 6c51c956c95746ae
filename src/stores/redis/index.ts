/**
 * `steady/redis`: one key's quota shared by many processes through Redis.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createPolicy, cohere } from 'steady';
 * import { redisStore } from 'steady/redis';
 *
 * const redis = new Redis({ maxRetriesPerRequest: 1 });
 * const policy = createPolicy({
 *   ...cohere({ plan: 'trial' }),
 *   limiter: { store: redisStore(redis, { key: 'cohere:prod' }) },
 * });
 * ```
 */

import { type Check, checkShape, invalid, methods, number, oneOf, type Shape } from '../../validate.js';
import type { RedisClient } from './connection.js';
import { type RedisErrorMode, RedisStore } from './store.js';

export type { RedisClient } from './connection.js';
export type { RedisErrorMode, RedisStore } from './store.js';

export interface RedisStoreOptions {
  /**
   * The shared ledger's name: every process calling the same API key uses the same `key` (and the
   * same limits). Every Redis key the store writes is `steady:{<key>}:…`, one hash slot, so it runs
   * on Redis Cluster. No `{` or `}`.
   */
  key: string;
  /**
   * While Redis cannot be reached (the client is not `ready`, a script failed, or no answer within
   * `timeoutMs`):
   * - `local`: an in-process ledger at this process's share of every limit (the limit ÷ the processes
   *   that reserved on the key within its longest window, as Redis last counted them), starting from
   *   what this process took in Redis within the window; back to Redis as soon as an operation
   *   succeeds again, which first hands the outage's admissions over.
   * - `open`: admit every call without limit.
   * - `closed`: refuse: queued calls reject with `StoreUnavailableError`.
   * @default 'local'
   */
  onError?: RedisErrorMode;
  /** Longest a Redis operation may take before the store treats Redis as gone. @default 1_000 */
  timeoutMs?: number;
}

/**
 * A `LimiterStore` in Redis: pass it as `limiter: { store }`; it takes the limits (and
 * `safetyMarginMs`) from the policy.
 *
 * - Atomic: the ledger is Lua (EVALSHA, reloaded after NOSCRIPT); a call is reserved on every
 *   dimension or none, with the rolling-ledger rules of `MemoryStore`. Time is Redis `TIME`.
 * - One round trip for what the process asks in one event-loop turn: a settle with the next
 *   reserve, and up to 16 queued calls together; one round trip out at a time.
 * - Waiting processes queue on the key: each is told its own time, behind those waiting longer.
 * - The 429 pause is shared by every process on the key.
 * - Capacity freed by another process (a refund, a release, usage below its estimate) wakes this
 *   process's waiting call through pub/sub within one delivery (plus one round trip) once its
 *   subscription is up; the subscription is set up on the first refusal and the call tries again
 *   right after, so the bound is the subscription's set-up plus one round trip. Without it, a call
 *   waits at most until the entry that holds it leaves its window.
 * - Everything it writes expires one longest window (+ margin, + 1 s) after the last write.
 *
 * **Gotchas**
 * - Processes that disagree on the limits for one key get `LimitsMismatchError` from every call
 *   until the key's data expires. To change limits, use a new key.
 * - ioredis: steady never queues in ioredis's offline queue (it checks `status === 'ready'`), but a
 *   command already sent when Redis dies waits for ioredis's retries: set `maxRetriesPerRequest: 1`
 *   (or 0) so it fails fast; `timeoutMs` bounds it either way.
 * - `local` is per process: in the window when Redis goes away, a process that had taken less than
 *   its share may take its share on top of what the others took. Coming back, the outage's
 *   admissions are written to Redis first, so nothing is admitted twice.
 */
const keyCheck: Check = (value, path) => {
  if (value === undefined) throw new TypeError(`steady: ${path} is required: the shared ledger's name`);
  if (typeof value !== 'string' || value === '' || /[{}]/.test(value)) {
    throw invalid(path, 'a non-empty string without { or }', value);
  }
};

const REDIS_STORE_SHAPE: Shape = {
  key: keyCheck,
  onError: oneOf(['local', 'open', 'closed']),
  timeoutMs: number({ above: true, infinite: false }),
};

export function redisStore(redis: RedisClient, options: RedisStoreOptions): RedisStore {
  if (redis === undefined)
    throw new TypeError('steady: redisStore(redis) is required: an ioredis Redis or Cluster client');
  methods(['evalsha', 'eval', 'duplicate'], 'an ioredis Redis or Cluster client')(redis, 'redisStore(redis)');
  checkShape(options, '', REDIS_STORE_SHAPE, 'redisStore');
  const { key, onError = 'local', timeoutMs = 1_000 } = options;
  return new RedisStore(redis, { key, onError, timeoutMs });
}
