import type { StrategyName } from '../types.js';
import { fixedWindowStrategy, pRetryStrategy } from './modelled.js';
import { policyStrategy } from './steady.js';
import type { Strategy, StrategyContext } from './types.js';

export type { Send, Strategy, StrategyContext } from './types.js';

export const STRATEGIES: Readonly<Record<StrategyName, (ctx: StrategyContext) => Strategy>> = {
  steady: (ctx) => policyStrategy(ctx, true),
  'no-limiter': (ctx) => policyStrategy(ctx, false),
  'fixed-window': fixedWindowStrategy,
  'p-retry': pRetryStrategy,
};
