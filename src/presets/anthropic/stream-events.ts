import { get } from '../../classify/safe.js';
import { StreamEventError } from '../../errors/stream-event-error.js';
import type { StreamEventKind, StreamEvents } from '../sdk-profile.js';

const START: ReadonlySet<string> = new Set(['message_start', 'content_block_start', 'ping']);

/**
 * Anthropic's Messages stream, as `@anthropic-ai/sdk` yields it: `message_start`,
 * `content_block_start` and `ping` are start events, `message_stop` ends it. An `event: error`
 * frame (`overloaded_error`, …) the SDK throws as an `APIError` with that type, classified by it;
 * one yielded as an event (a generic client's) fails the stream the same way. A stream that began
 * with `message_start` and stops before `message_stop` was cut short.
 */
export const anthropicStreamEvents: StreamEvents = Object.freeze({
  kind(event: unknown): StreamEventKind {
    const type = get(event, 'type');
    if (typeof type !== 'string') return 'data';
    if (type === 'message_stop') return 'end';
    if (START.has(type)) return 'start';
    if (type === 'error') {
      const error = get(event, 'error');
      const message = get(error, 'message');
      return new StreamEventError(typeof message === 'string' ? message : 'error event', {
        body: { type: 'error', error },
      });
    }
    return 'data';
  },
  cutShort(first: unknown): boolean {
    return first === undefined || get(first, 'type') === 'message_start';
  },
});
