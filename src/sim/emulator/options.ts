/** Checks `EmulatorOptions` and fills in the defaults. Bad options throw naming the option. */
import { type Clock, MAX_TIMER_MS, systemClock } from '../../clock.js';
import { clockCheck } from '../../limit/check-options.js';
import { type Check, checkShape, invalid, number, oneOf, shape } from '../../validate.js';
import { checkFault } from './faults.js';
import type { EmulatorOptions, KeyLimits, LimitAlgorithm, Provider, ScriptedFault } from './types.js';

export const PLANS: Readonly<Record<'trial' | 'production', Required<KeyLimits>>> = {
  trial: { callsPerMinute: 40, tokensPerMinute: 100_000, plan: 'trial' },
  production: { callsPerMinute: 500, tokensPerMinute: 2_000_000, plan: 'production' },
};

export const DEFAULT_FAULT_KINDS: readonly ScriptedFault[] = [
  { status: 500 },
  { status: 502 },
  { status: 503 },
  { status: 504 },
  { status: 499 },
  'reset',
];

export interface ResolvedOptions {
  provider: Provider;
  port: number;
  keepAliveMs: number;
  keys: Map<string, Required<KeyLimits>>;
  timeScale: number;
  windowMs: number;
  limitAlgorithm: LimitAlgorithm;
  latency: { min: number; max: number };
  faultRate: number;
  faultKinds: readonly ScriptedFault[];
  seed: number;
  retryAfterHeader: boolean;
  clock: Clock;
}

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive = (v: unknown): v is number => nonNegative(v) && v > 0;

const boolean: Check = (value, path) => {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(path, 'true or false', value);
};

/** `startEmulator`'s options, checked by the one checker; keys, latency and faults are checked below. */
const SHAPE = {
  provider: oneOf(['cohere', 'openai', 'anthropic']),
  port: number({ integer: true }),
  keepAliveMs: number({ integer: true }),
  keys: (value: unknown, path: string) => {
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
      throw invalid(path, "an object of API keys, e.g. { 'test-key': 'trial' }", value);
  },
  timeScale: number({ above: true, infinite: false }),
  limitAlgorithm: oneOf(['rolling', 'fixed', 'bucket']),
  latencyMs: () => {},
  faults: shape({ rate: number({ infinite: false }), kinds: () => {} }),
  seed: number({ min: Number.NEGATIVE_INFINITY, integer: true }),
  retryAfterHeader: boolean,
  clock: clockCheck,
};

function resolveKey(name: string, spec: unknown): Required<KeyLimits> {
  if (spec === 'trial' || spec === 'production') return PLANS[spec];
  const s = spec as Partial<KeyLimits> | null;
  if (!s || typeof s !== 'object' || !positive(s.callsPerMinute) || !positive(s.tokensPerMinute)) {
    throw invalid(
      `keys.${name}`,
      "'trial', 'production' or { callsPerMinute > 0, tokensPerMinute > 0 }",
      spec,
    );
  }
  return {
    callsPerMinute: s.callsPerMinute,
    tokensPerMinute: s.tokensPerMinute,
    plan: s.plan ?? 'production',
  };
}

function resolveLatency(latency: EmulatorOptions['latencyMs']): { min: number; max: number } {
  if (latency === undefined) return { min: 0, max: 0 };
  if (nonNegative(latency)) return { min: latency, max: latency };
  if (latency && typeof latency === 'object' && nonNegative(latency.min) && nonNegative(latency.max)) {
    if (latency.min <= latency.max) return { min: latency.min, max: latency.max };
  }
  throw invalid('latencyMs', 'a number >= 0 or { min, max } with 0 <= min <= max', latency, true);
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  checkShape(options, '', SHAPE, 'startEmulator');
  const port = options.port ?? 0;
  if (port > 65_535) throw invalid('port', 'an integer in [0, 65535]', port, true);
  const keepAliveMs = options.keepAliveMs ?? 65_000;
  if (keepAliveMs > MAX_TIMER_MS)
    throw invalid('keepAliveMs', `an integer in [0, ${MAX_TIMER_MS}]`, keepAliveMs, true);
  const timeScale = options.timeScale ?? 1;
  const limitAlgorithm = options.limitAlgorithm ?? 'rolling';
  const keys = new Map<string, Required<KeyLimits>>();
  for (const [name, spec] of Object.entries(options.keys ?? { 'test-key': 'trial' })) {
    keys.set(name, resolveKey(name, spec));
  }
  const faultRate = options.faults?.rate ?? 0;
  if (faultRate > 1) throw invalid('faults.rate', 'a number in [0, 1]', faultRate, true);
  const faultKinds = options.faults?.kinds ?? DEFAULT_FAULT_KINDS;
  if (!Array.isArray(faultKinds) || faultKinds.length === 0)
    throw invalid('faults.kinds', 'a non-empty array of faults', faultKinds);
  faultKinds.forEach((k, i) => {
    checkFault(k, `faults.kinds[${i}]`);
  });
  const seed = options.seed ?? 1;
  return {
    provider: options.provider ?? 'cohere',
    port,
    keepAliveMs,
    keys,
    timeScale,
    windowMs: 60_000 / timeScale,
    limitAlgorithm,
    latency: resolveLatency(options.latencyMs),
    faultRate,
    faultKinds,
    seed,
    retryAfterHeader: options.retryAfterHeader ?? true,
    clock: options.clock ?? systemClock,
  };
}
