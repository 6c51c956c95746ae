import { get } from '../../classify/safe.js';
import { StreamEventError } from '../../errors/stream-event-error.js';
import type { StreamEventKind, StreamEvents } from '../sdk-profile.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The event's type: v2 `type`, v1 `eventType` (SDK) or `event_type` (raw JSON). */
function typeOf(event: unknown): string | undefined {
  return str(get(event, 'type')) ?? str(get(event, 'eventType')) ?? str(get(event, 'event_type'));
}

function finishReason(o: unknown): string | undefined {
  return str(get(o, 'finishReason')) ?? str(get(o, 'finish_reason'));
}

/** The in-band error an end event carries, if any. */
function errorOf(event: unknown, container: unknown): StreamEventError | undefined {
  const message = str(get(container, 'error'));
  if (message) return new StreamEventError(message);
  if (finishReason(container) === 'ERROR' || finishReason(event) === 'ERROR') {
    return new StreamEventError('the stream ended with finish_reason ERROR');
  }
  return undefined;
}

/**
 * Cohere's streams, as the cohere-ai SDK yields them (camelCase) or as raw JSON (snake_case).
 * - v2 `chatStream` (SSE): `message-start` and `content-start` are start events; `message-end`
 *   ends it, unless its `delta.error` is set or its `finish_reason` is `ERROR`: then it is an
 *   in-band failure.
 * - v1 `chatStream` / `generateStream` (JSON lines): `stream-start` starts it; `stream-end` ends it,
 *   or fails it with `finish_reason: 'ERROR'`; a `stream-error` event (generate) fails it.
 * A stream whose first event is `message-start` or `stream-start` (and an empty one) must end with
 * its end marker, else it was cut short. Other events (a generic client's) are plain data.
 */
export const cohereStreamEvents: StreamEvents = Object.freeze({
  kind(event: unknown): StreamEventKind {
    const type = typeOf(event);
    if (type === 'message-end') return errorOf(event, get(event, 'delta')) ?? 'end';
    if (type === 'stream-end') return errorOf(event, event) ?? 'end';
    if (type === 'stream-error') return new StreamEventError(str(get(event, 'err')) ?? 'stream-error event');
    if (type === 'message-start' || type === 'content-start' || type === 'stream-start') return 'start';
    return 'data';
  },
  cutShort(first: unknown): boolean {
    if (first === undefined) return true;
    const type = typeOf(first);
    return type === 'message-start' || type === 'stream-start';
  },
});
