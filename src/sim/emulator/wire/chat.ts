/** Reading an OpenAI- or Anthropic-style chat body: its text, its model, its `max_tokens`. */
import { hashString } from '../prng.js';
import { CONTEXT_TOKENS, MAX_OUTPUT_TOKENS, type ParseResult, type Route } from '../request.js';

const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** Characters of a message's content: a string, or parts `{ type: 'text', text }`. */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text === 'string') n += text.length;
  }
  return n;
}

export interface ChatRules {
  /** The `max_tokens` field(s), first found wins. */
  maxTokensFields: readonly string[];
  /** Anthropic requires `max_tokens`. */
  maxTokensRequired: boolean;
  /** Messages for the 400s. */
  messages: {
    notObject: string;
    noModel: string;
    noMessages: string;
    noMaxTokens: string;
    tooLong: (over: number) => string;
    maxTokens: (max: number, received: number) => string;
  };
}

export function parseChat(
  route: Route,
  body: unknown,
  rawText: string,
  seed: number,
  rules: ChatRules,
): ParseResult {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, message: rules.messages.notObject };
  const b = body as Record<string, unknown>;
  const model = typeof b.model === 'string' ? b.model : '';
  if (!model) return { ok: false, message: rules.messages.noModel };
  const list = Array.isArray(b.messages) ? b.messages : [];
  if (list.length === 0) return { ok: false, message: rules.messages.noMessages };
  let chars = contentChars(b.system);
  for (const m of list) chars += contentChars((m as { content?: unknown } | null)?.content);
  const inputTokens = tokensOf(chars);
  if (inputTokens > CONTEXT_TOKENS)
    return { ok: false, message: rules.messages.tooLong(inputTokens - CONTEXT_TOKENS) };
  const field = rules.maxTokensFields.find((f) => typeof b[f] === 'number');
  const maxTokens = field === undefined ? undefined : Math.floor(b[field] as number);
  if (maxTokens === undefined && rules.maxTokensRequired)
    return { ok: false, message: rules.messages.noMaxTokens };
  if (maxTokens !== undefined && (maxTokens > MAX_OUTPUT_TOKENS || maxTokens < 1))
    return { ok: false, message: rules.messages.maxTokens(MAX_OUTPUT_TOKENS, maxTokens) };
  const hash = hashString(rawText, seed);
  const natural = 50 + (hash % 351);
  const outputTokens = maxTokens !== undefined ? Math.min(maxTokens, natural) : natural;
  const request = {
    route,
    model,
    stream: b.stream === true,
    hash,
    texts: [],
    embeddingTypes: [],
    dimension: 0,
    inputTokens,
    outputTokens,
    hitMaxTokens: maxTokens !== undefined && outputTokens === maxTokens,
    includeUsage: (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
  };
  return { ok: true, request };
}

/** `1s`, `6m0s`, `120ms`: the duration format of OpenAI's reset headers. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1_000) return `${Math.ceil(ms)}ms`;
  const s = Math.ceil(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60}s` : `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
