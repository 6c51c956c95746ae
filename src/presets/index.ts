export type { CohereOptions } from './cohere.js';
export { cohere } from './cohere.js';
export { http, httpRules } from './http.js';
export type { CostEstimator, Preset, UsageReader } from './types.js';
