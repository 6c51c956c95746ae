/** The JSON bodies of successful answers, field for field as Cohere sends them (snake_case). */
import { embedAs, embedFloat } from './generate.js';
import type { ParsedRequest } from './request.js';

export function usageV2(r: ParsedRequest) {
  const units = { input_tokens: r.inputTokens, output_tokens: r.outputTokens };
  return { billed_units: units, tokens: { ...units } };
}

export function metaV1(r: ParsedRequest) {
  const units = { input_tokens: r.inputTokens, output_tokens: r.outputTokens };
  return { api_version: { version: '1' }, billed_units: units, tokens: { ...units } };
}

export const finishReason = (r: ParsedRequest) => (r.hitMaxTokens ? 'MAX_TOKENS' : 'COMPLETE');

/** `POST /v2/chat` (non-stream). */
export function chatV2Body(r: ParsedRequest, id: string, text: string) {
  return {
    id,
    finish_reason: finishReason(r),
    message: { role: 'assistant', content: [{ type: 'text', text }] },
    usage: usageV2(r),
  };
}

/** `POST /v1/chat` (non-stream), also the `response` of the v1 stream's `stream-end`. */
export function chatV1Body(r: ParsedRequest, id: string, text: string, reason = finishReason(r)) {
  return {
    response_id: id,
    text,
    generation_id: id,
    chat_history: [],
    finish_reason: reason,
    meta: metaV1(r),
  };
}

/** `POST /v2/embed`, and `/v1/embed` (`embeddings_floats` when no `embedding_types` were asked for). */
export function embedBody(r: ParsedRequest, id: string) {
  const floats = r.texts.map((t) => embedFloat(t, r.dimension));
  const meta = {
    api_version: { version: r.route === 'embed-v2' ? '2' : '1' },
    billed_units: { input_tokens: r.inputTokens },
  };
  if (r.route === 'embed-v1' && r.embeddingTypes.length === 0) {
    return { response_type: 'embeddings_floats', id, embeddings: floats, texts: r.texts, meta };
  }
  const types = r.embeddingTypes.length > 0 ? r.embeddingTypes : ['float'];
  const embeddings: Record<string, unknown[]> = {};
  for (const type of types) embeddings[type] = floats.map((f) => embedAs(type, f));
  return { response_type: 'embeddings_by_type', id, embeddings, texts: r.texts, meta };
}
