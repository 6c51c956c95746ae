/**
 * Reads a request body the way Cohere's API does: which endpoint, which model, whether it streams,
 * and what it bills. Bodies arrive in snake_case (the SDK serialises camelCase to snake_case).
 */
import { messages } from './catalogue.js';
import { hashString } from './prng.js';

export type Route = 'chat-v2' | 'chat-v1' | 'embed-v2' | 'embed-v1' | 'openai-chat' | 'anthropic-messages';

export const routes: Readonly<Record<string, Route>> = {
  '/v2/chat': 'chat-v2',
  '/v1/chat': 'chat-v1',
  '/v2/embed': 'embed-v2',
  '/v1/embed': 'embed-v1',
};

/** The model's context: a chat whose input bills more is refused with 400 "too many tokens". */
export const CONTEXT_TOKENS = 128_000;
/** The largest `max_tokens` accepted. */
export const MAX_OUTPUT_TOKENS = 4_096;
/** The most texts one embed request may carry. */
export const MAX_EMBED_TEXTS = 96;

/** v1 endpoints fall back to a default model; v2 ones require `model`. */
const V1_DEFAULT_MODELS: Partial<Record<Route, string>> = {
  'chat-v1': 'command-r',
  'embed-v1': 'embed-english-v2.0',
};

export interface ParsedRequest {
  route: Route;
  model: string;
  stream: boolean;
  /** Billed input tokens: the characters of every text / 4, rounded up, at least 1. */
  inputTokens: number;
  /** Billed output tokens, decided at arrival: `min(max_tokens, n)` where n is 50–400 from the body's hash. */
  outputTokens: number;
  /** The request set `max_tokens` and the answer stops there. */
  hitMaxTokens: boolean;
  /** Embed only: the texts, the types and the dimension asked for. */
  texts: string[];
  embeddingTypes: string[];
  dimension: number;
  /** Seeds the generated text and vectors. */
  hash: number;
  /** OpenAI streams: `stream_options.include_usage` asks for a last chunk with the usage. */
  includeUsage?: boolean;
}

export type ParseResult = { ok: true; request: ParsedRequest } | { ok: false; message: string };

const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Characters of a v2 message's content: a string, or a list of `{ type: 'text', text }` / documents. */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const item of content) {
    if (typeof item === 'string') n += item.length;
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      n += typeof o.text === 'string' ? o.text.length : o.document ? JSON.stringify(o.document).length : 0;
    }
  }
  return n;
}

const jsonChars = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);

function chatChars(route: Route, body: Record<string, unknown>): number {
  const extra = jsonChars(body.documents) + jsonChars(body.tools);
  if (route === 'chat-v1') {
    const history = Array.isArray(body.chat_history) ? body.chat_history : [];
    let n = str(body.message).length + str(body.preamble).length + extra;
    for (const turn of history) n += str((turn as Record<string, unknown> | null)?.message).length;
    return n;
  }
  const list = Array.isArray(body.messages) ? body.messages : [];
  let n = extra;
  for (const m of list) n += contentChars((m as Record<string, unknown> | null)?.content);
  return n;
}

function embedTexts(body: Record<string, unknown>): string[] {
  const texts = Array.isArray(body.texts) ? body.texts.map(str) : [];
  if (Array.isArray(body.inputs)) {
    for (const input of body.inputs) {
      const content = (input as Record<string, unknown> | null)?.content;
      const parts = Array.isArray(content) ? content : [];
      texts.push(parts.map((p) => str((p as Record<string, unknown> | null)?.text)).join(' '));
    }
  }
  return texts;
}

/** Validates `body` for `route` and decides what it bills. `seed` varies the output lengths. */
export function parseRequest(route: Route, body: unknown, rawText: string, seed: number): ParseResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: messages.invalidJson('the body must be a JSON object') };
  }
  const b = body as Record<string, unknown>;
  const model = str(b.model) || V1_DEFAULT_MODELS[route] || '';
  if (!model) return { ok: false, message: messages.noModel };
  const hash = hashString(rawText, seed);
  const base = { route, model, stream: b.stream === true, hash, texts: [], embeddingTypes: [], dimension: 0 };

  if (route === 'embed-v1' || route === 'embed-v2') {
    const texts = embedTexts(b);
    if (texts.length > MAX_EMBED_TEXTS) {
      return { ok: false, message: messages.tooManyTexts(MAX_EMBED_TEXTS, texts.length) };
    }
    const empty = texts.indexOf('');
    if (empty >= 0 || texts.length === 0)
      return { ok: false, message: messages.emptyText(Math.max(0, empty)) };
    const types = Array.isArray(b.embedding_types) ? b.embedding_types.map(str).filter(Boolean) : [];
    const dimension = typeof b.output_dimension === 'number' ? b.output_dimension : 64;
    const inputTokens = texts.reduce((sum, t) => sum + tokensOf(t.length), 0);
    const request = { ...base, stream: false, texts, embeddingTypes: types, dimension, inputTokens };
    return { ok: true, request: { ...request, outputTokens: 0, hitMaxTokens: false } };
  }

  const chars = chatChars(route, b);
  if (chars === 0) return { ok: false, message: messages.emptyMessage };
  const inputTokens = tokensOf(chars);
  if (inputTokens > CONTEXT_TOKENS) {
    return { ok: false, message: messages.contextExceeded(inputTokens - CONTEXT_TOKENS) };
  }
  const maxTokens = typeof b.max_tokens === 'number' ? Math.floor(b.max_tokens) : undefined;
  if (maxTokens !== undefined && maxTokens > MAX_OUTPUT_TOKENS) {
    return { ok: false, message: messages.maxTokens(MAX_OUTPUT_TOKENS, maxTokens) };
  }
  const natural = 50 + (hash % 351);
  const outputTokens = maxTokens !== undefined ? Math.max(1, Math.min(maxTokens, natural)) : natural;
  const hitMaxTokens = maxTokens !== undefined && outputTokens === maxTokens;
  return { ok: true, request: { ...base, inputTokens, outputTokens, hitMaxTokens } };
}
