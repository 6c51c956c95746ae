/** The demo's chat requests: prompts of varied length, a few long documents, varied `max_tokens`. */
import type { Random } from '../../clock.js';

export const MODEL = 'command-a-03-2025';

const WORDS = [
  'the',
  'rate',
  'limit',
  'window',
  'token',
  'model',
  'answer',
  'question',
  'server',
  'client',
  'retry',
  'backoff',
  'minute',
  'budget',
  'ledger',
  'summary',
  'report',
  'customer',
  'invoice',
  'weather',
  'river',
  'mountain',
  'policy',
  'signal',
  'queue',
  'latency',
  'stream',
  'document',
];
const PROMPTS = [
  'Summarise this in one sentence:',
  'Translate into French:',
  'List three risks in the following text:',
  'Write a short reply to this message:',
  'Extract every date mentioned here:',
];
const MAX_TOKENS = [100, 200, 300, 600, 1_000] as const;

/** One chat request body, as sent to `POST /v2/chat`. */
export interface ChatBody {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  max_tokens: number;
}

function text(random: Random, chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const word = WORDS[Math.floor(random.next() * WORDS.length)]!;
    out.push(word);
    n += word.length + 1;
  }
  return out.join(' ');
}

/**
 * `count` request bodies drawn from `random`. Inputs run from a line to ~4,000 tokens (log-uniform);
 * every 8th call carries a ~10,000-token document, so the tokens limit matters as well as the calls one.
 */
export function chatBodies(count: number, random: Random): ChatBody[] {
  const bodies: ChatBody[] = [];
  for (let i = 0; i < count; i++) {
    const chars = i % 8 === 7 ? 40_000 : Math.round(40 * 400 ** random.next());
    const prompt = PROMPTS[i % PROMPTS.length]!;
    const messages: ChatBody['messages'] = [{ role: 'user', content: `${prompt} ${text(random, chars)}` }];
    if (i % 3 === 0) messages.unshift({ role: 'system', content: 'You are a concise assistant.' });
    const maxTokens = MAX_TOKENS[Math.floor(random.next() * MAX_TOKENS.length)]!;
    bodies.push({ model: MODEL, messages, max_tokens: maxTokens });
  }
  return bodies;
}
