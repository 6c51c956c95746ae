export type { AnthropicOptions } from './anthropic/index.js';
export { anthropic } from './anthropic/index.js';
export type { CohereOptions } from './cohere/index.js';
export { cohere } from './cohere/index.js';
export { http, httpRules } from './http.js';
export type { OpenAIOptions } from './openai/index.js';
export { openai } from './openai/index.js';
export type { CostEstimator, Preset, UsageReader } from './types.js';
