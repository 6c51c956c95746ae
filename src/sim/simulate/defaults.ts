/** What `steady simulate` does with no flags: an hour of a Cohere trial key's traffic, 15 % faults. */
import type { SimulateOptions } from './types.js';

export const PLAN_LIMITS = {
  trial: { calls: 40, tokens: 100_000 },
  production: { calls: 500, tokens: 2_000_000 },
} as const;

export const DEFAULTS: SimulateOptions = {
  calls: 1_800,
  rate: 30,
  arrival: 'poisson',
  concurrency: 64,
  inputTokens: [100, 8_000],
  outputTokens: [50, 1_000],
  limits: { ...PLAN_LIMITS.trial, plan: 'trial' },
  server: 'rolling',
  latencyMs: [300, 1_500],
  attempts: 6,
  backoffMs: [500, 30_000],
  budget: 500,
  preset: 'cohere',
  faults: [
    { kind: 503, share: 0.03 },
    { kind: 500, share: 0.03 },
    { kind: 499, share: 0.03 },
    { kind: 'reset', share: 0.03 },
    { kind: 429, share: 0.03 },
  ],
  seed: 7,
  clock: 'virtual',
  timeScale: 10,
  strategies: ['steady'],
};

export const COMPARED = ['steady', 'no-limiter', 'fixed-window', 'p-retry'] as const;
