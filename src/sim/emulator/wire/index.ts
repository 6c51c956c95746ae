import type { Provider } from '../types.js';
import { anthropicWire } from './anthropic.js';
import { cohereWire } from './cohere.js';
import { openaiWire } from './openai.js';
import type { Wire } from './types.js';

export type { ErrorKind, LimitState, Wire } from './types.js';

export const WIRES: Readonly<Record<Provider, Wire>> = {
  cohere: cohereWire,
  openai: openaiWire,
  anthropic: anthropicWire,
};
