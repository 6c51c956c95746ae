import { exponential } from '../backoff/exponential.js';
import type { Backoff } from '../backoff/types.js';
import { Breaker } from '../budget/breaker.js';
import type { Rule } from '../classify/rule.js';
import { type Clock, mathRandom, type Random, systemClock } from '../clock.js';
import { Emitter } from '../hooks/emitter.js';
import { createLimiter } from '../limit/index.js';
import type { Limiter } from '../limit/types.js';
import type { CostEstimator, UsageReader } from '../presets/types.js';
import { assertFunction, assertNumber, assertOptionalNumber } from '../validate.js';
import type { PolicyOptions } from './options.js';

/** The options of a policy, checked and with every default filled in. */
export interface Resolved {
  rules: readonly Rule[];
  maxAttempts: number;
  maxElapsedMs: number;
  attemptTimeoutMs: number;
  backoff: Backoff;
  maxRetryAfterMs: number;
  limiter: Limiter | undefined;
  breaker: Breaker | undefined;
  usage: UsageReader | undefined;
  estimate: CostEstimator | undefined;
  clock: Clock;
  random: Random;
  emitter: Emitter;
}

const KNOWN = new Set([
  'rules',
  'classifier',
  'retry',
  'limits',
  'limiter',
  'usage',
  'estimate',
  'breaker',
  'clock',
  'random',
  'on',
]);

/** Checks every option at construction; each error names the option it is about. */
export function resolveOptions(options: PolicyOptions = {}): Resolved {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('steady: createPolicy(options) takes an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`steady: unknown option "${key}"`);
  }
  const retry = options.retry ?? {};
  const { maxAttempts = 5, maxElapsedMs = Number.POSITIVE_INFINITY, maxRetryAfterMs = 60_000 } = retry;
  assertNumber('retry.maxAttempts', maxAttempts, 1, maxAttempts !== Number.POSITIVE_INFINITY);
  assertNumber('retry.maxElapsedMs', maxElapsedMs, 1);
  assertNumber('retry.maxRetryAfterMs', maxRetryAfterMs, 0);
  assertOptionalNumber('retry.attemptTimeoutMs', retry.attemptTimeoutMs, 1);
  const backoff = retry.backoff ?? exponential();
  if (typeof backoff?.next !== 'function')
    throw new TypeError('steady: option "retry.backoff" must be a Backoff (e.g. exponential())');

  const rules = [...(options.rules ?? []), ...(options.classifier ?? [])];
  for (const [i, r] of rules.entries()) assertFunction(`rules[${i}]`, r, false);
  assertFunction('usage', options.usage);
  assertFunction('estimate', options.estimate);

  const clock = options.clock ?? systemClock;
  const random = options.random ?? mathRandom;
  if (typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function') {
    throw new TypeError('steady: option "clock" must have now(), setTimeout() and clearTimeout()');
  }
  assertFunction('random.next', random.next, false);
  const emitter = new Emitter(options.on);

  let limiter: Limiter | undefined;
  const lim = options.limiter;
  if (lim && typeof (lim as Limiter).acquire === 'function') {
    limiter = lim as Limiter;
  } else if (options.limits && Object.keys(options.limits).length > 0) {
    limiter = createLimiter({ ...(lim as object), limits: options.limits, clock });
  }

  let breaker: Breaker | undefined;
  if (options.breaker !== false) {
    const cooldownMs = options.breaker?.cooldownMs ?? 30_000;
    assertNumber('breaker.cooldownMs', cooldownMs, 0);
    breaker = new Breaker(cooldownMs, clock, emitter);
  }

  return {
    rules,
    maxAttempts,
    maxElapsedMs,
    attemptTimeoutMs: retry.attemptTimeoutMs ?? Number.POSITIVE_INFINITY,
    backoff,
    maxRetryAfterMs,
    limiter,
    breaker,
    usage: options.usage,
    estimate: options.estimate,
    clock,
    random,
    emitter,
  };
}
