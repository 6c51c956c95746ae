/** Checks `EmulatorOptions` and fills in the defaults. Bad options throw naming the option. */
import { type Clock, systemClock } from '../../clock.js';
import { checkFault } from './faults.js';
import type { EmulatorOptions, KeyLimits, LimitAlgorithm, ScriptedFault } from './types.js';

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
  port: number;
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

const fail = (name: string, what: string, Err: typeof TypeError = TypeError): never => {
  throw new Err(`steady: option "${name}" must be ${what}`);
};
const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive = (v: unknown): v is number => nonNegative(v) && v > 0;

function resolveKey(name: string, spec: unknown): Required<KeyLimits> {
  if (spec === 'trial' || spec === 'production') return PLANS[spec];
  const s = spec as Partial<KeyLimits> | null;
  if (!s || typeof s !== 'object' || !positive(s.callsPerMinute) || !positive(s.tokensPerMinute)) {
    return fail(`keys.${name}`, "'trial', 'production' or { callsPerMinute > 0, tokensPerMinute > 0 }");
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
  return fail('latencyMs', 'a number >= 0 or { min, max } with 0 <= min <= max', RangeError);
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail('port', 'an integer in [0, 65535]', RangeError);
  const timeScale = options.timeScale ?? 1;
  if (!positive(timeScale)) fail('timeScale', 'a positive finite number', RangeError);
  const limitAlgorithm = options.limitAlgorithm ?? 'rolling';
  if (!['rolling', 'fixed', 'bucket'].includes(limitAlgorithm)) {
    fail('limitAlgorithm', "'rolling', 'fixed' or 'bucket'");
  }
  const keys = new Map<string, Required<KeyLimits>>();
  for (const [name, spec] of Object.entries(options.keys ?? { 'test-key': 'trial' })) {
    keys.set(name, resolveKey(name, spec));
  }
  const faultRate = options.faults?.rate ?? 0;
  if (!nonNegative(faultRate) || faultRate > 1) fail('faults.rate', 'a number in [0, 1]', RangeError);
  const faultKinds = options.faults?.kinds ?? DEFAULT_FAULT_KINDS;
  if (!Array.isArray(faultKinds) || faultKinds.length === 0) fail('faults.kinds', 'a non-empty array');
  faultKinds.forEach((k, i) => {
    checkFault(k, `faults.kinds[${i}]`);
  });
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) fail('seed', 'an integer');
  return {
    port,
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
