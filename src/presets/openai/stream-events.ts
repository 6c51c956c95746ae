import { get, isObject } from '../../classify/safe.js';
import { StreamEventError } from '../../errors/stream-event-error.js';
import type { StreamEventKind, StreamEvents } from '../sdk-profile.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A chat chunk's or completion's `choices`, or undefined. */
function choicesOf(event: unknown): unknown[] | undefined {
  const choices = get(event, 'choices');
  return Array.isArray(choices) ? choices : undefined;
}

/** Whether every choice's delta is empty or the role alone (`{ role: 'assistant', content: '' }`). */
function emptyDeltas(choices: unknown[]): boolean {
  return choices.every((c) => {
    const delta = get(c, 'delta');
    if (!isObject(delta)) return str(get(c, 'text')) === '';
    for (const [k, v] of Object.entries(delta)) {
      if (k === 'role') continue;
      if (v === null || v === undefined || v === '') continue;
      return false;
    }
    return true;
  });
}

function chunkKind(event: unknown, choices: unknown[]): StreamEventKind {
  if (choices.some((c) => get(c, 'finish_reason') != null)) return 'end';
  if (choices.length === 0) return get(event, 'usage') != null ? 'end' : 'data';
  return emptyDeltas(choices) ? 'start' : 'data';
}

/** A Responses API failure event, as an error its preset reads by type. */
function failure(event: unknown): StreamEventError {
  const error = get(event, 'error') ?? get(get(event, 'response'), 'error');
  const message = str(get(error, 'message')) ?? str(get(event, 'message')) ?? 'the response failed';
  const type = str(get(error, 'type')) ?? str(get(error, 'code')) ?? 'server_error';
  return new StreamEventError(message, {
    body: { error: { message, type, code: get(error, 'code') ?? null } },
  });
}

/**
 * OpenAI's streams, as the `openai` SDK yields them.
 * - Chat Completions (`chat.completion.chunk`) and Completions (`text_completion`): a chunk whose
 *   deltas are empty or the role alone is a start event; a chunk with a `finish_reason` ends it, and
 *   so does the usage chunk that follows with `stream_options.include_usage`. The SDK reads
 *   `data: [DONE]` itself and never yields it: a stream that stops before its `finish_reason` was
 *   cut short. An `{ error }` frame the SDK throws as an `APIError`, classified by its type.
 * - Responses (`response.*` events): `response.created` / `response.in_progress` start it;
 *   `response.completed` / `response.incomplete` end it; `response.failed` and `error` fail it.
 * Other events (a generic client's) are plain data.
 */
export const openaiStreamEvents: StreamEvents = Object.freeze({
  kind(event: unknown): StreamEventKind {
    const type = str(get(event, 'type'));
    if (type !== undefined && (type.startsWith('response.') || type === 'error')) {
      if (type === 'response.created' || type === 'response.in_progress') return 'start';
      if (type === 'response.completed' || type === 'response.incomplete') return 'end';
      if (type === 'response.failed' || type === 'error') return failure(event);
      return 'data';
    }
    const choices = choicesOf(event);
    return choices ? chunkKind(event, choices) : 'data';
  },
  cutShort(first: unknown): boolean {
    if (first === undefined) return true;
    const object = str(get(first, 'object'));
    if (object === 'chat.completion.chunk' || object === 'text_completion') return true;
    return str(get(first, 'type'))?.startsWith('response.') === true;
  },
});
