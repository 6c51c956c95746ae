export type { CohereOptions } from './cohere/index.js';
export { cohere } from './cohere/index.js';
export { http, httpRules } from './http.js';
export type { CostEstimator, Preset, UsageReader } from './types.js';
