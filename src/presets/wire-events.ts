/**
 * The stream events of every provider steady knows, as they come over the wire (the `data:` of
 * each SSE event, or each JSON line, parsed), for adapters that see bytes rather than an SDK's
 * objects (steady/fetch under the AI SDK, ky, got, axios). Each event is read by the provider its
 * shape names:
 * - OpenAI: `data: [DONE]` ends the stream (so does the usage chunk that may come just before it); a
 *   `{ "error": … }` frame fails it, read by its `type`; Responses API events by their `type`.
 * - Anthropic: `message_start` … `message_stop`, and the `error` event (`overloaded_error`, …).
 * - Cohere: v2 `message-start` … `message-end`, v1 `stream-start` … `stream-end`.
 * Any other event is data.
 */
import { get, isObject } from '../classify/safe.js';
import { StreamEventError } from '../errors/stream-event-error.js';
import { anthropicStreamEvents } from './anthropic/stream-events.js';
import { cohereStreamEvents } from './cohere/stream-events.js';
import { openaiStreamEvents } from './openai/stream-events.js';
import type { StreamEventKind, StreamEvents } from './sdk-profile.js';

const ANTHROPIC = /^(?:message|content_block)_(?:start|delta|stop)$|^ping$/;

function isOpenAIChunk(data: unknown): boolean {
  const object = get(data, 'object');
  return object === 'chat.completion.chunk' || object === 'text_completion';
}

export const wireStreamEvents: StreamEvents = Object.freeze({
  kind(data: unknown): StreamEventKind {
    if (typeof data === 'string') return data.trim() === '[DONE]' ? 'end' : 'data';
    if (!isObject(data)) return 'data';
    const type = get(data, 'type');
    if (typeof type === 'string') {
      if (ANTHROPIC.test(type)) return anthropicStreamEvents.kind(data);
      if (type === 'error' && isObject(get(data, 'error'))) return anthropicStreamEvents.kind(data);
      if (type.startsWith('response.') || type === 'error') return openaiStreamEvents.kind(data);
      return cohereStreamEvents.kind(data);
    }
    if (isOpenAIChunk(data)) {
      // On the wire the end is `[DONE]`: a finish_reason chunk is content, the usage chunk an end.
      const kind = openaiStreamEvents.kind(data);
      if (kind !== 'end') return kind;
      const choices = get(data, 'choices');
      return Array.isArray(choices) && choices.length === 0 ? 'end' : 'data';
    }
    const error = get(data, 'error');
    if (isObject(error) && get(data, 'event_type') === undefined) {
      const message = get(error, 'message');
      return new StreamEventError(typeof message === 'string' ? message : 'error frame', { body: { error } });
    }
    return cohereStreamEvents.kind(data);
  },
  cutShort(first: unknown): boolean {
    if (first === undefined) return true;
    if (isOpenAIChunk(first) || get(first, 'type') === 'message_start') return true;
    return cohereStreamEvents.cutShort(first);
  },
});
