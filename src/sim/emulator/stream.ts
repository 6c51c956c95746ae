/**
 * The chunks of a streamed chat. v2 is SSE: `event: TYPE\ndata: JSON\n\n` with `type` also inside the
 * JSON (the SDK's parser reads only the `data:` lines and dispatches on `type`); v1 is one JSON object a
 * line, dispatched on `event_type`. A stream fault cuts the sequence short.
 */
import { chatV1Body, finishReason, usageV2 } from './bodies.js';
import type { ParsedRequest } from './request.js';

export type StreamFault =
  | { kind: 'fail'; after: number; mode: 'event' | 'destroy'; message: string; errorType?: string }
  | { kind: 'endEarly'; after: number };

export interface StreamPlan {
  contentType: string;
  chunks: string[];
  /** `'destroy'`: the socket is destroyed once the chunks are flushed, without ending the body. */
  ending: 'end' | 'destroy';
}

const sse = (data: { type: string; [field: string]: unknown }) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const line = (data: object) => `${JSON.stringify(data)}\n`;

export function planStream(r: ParsedRequest, id: string, pieces: string[], fault?: StreamFault): StreamPlan {
  const sent = fault ? pieces.slice(0, Math.min(fault.after, pieces.length)) : pieces;
  const ending = fault?.kind === 'fail' && fault.mode === 'destroy' ? 'destroy' : 'end';
  const errorMessage = fault?.kind === 'fail' && fault.mode === 'event' ? fault.message : undefined;
  const complete = !fault;
  if (r.route === 'chat-v1') {
    const chunks = [line({ is_finished: false, event_type: 'stream-start', generation_id: id })];
    for (const text of sent) chunks.push(line({ is_finished: false, event_type: 'text-generation', text }));
    if (complete || errorMessage !== undefined) {
      const reason = complete ? finishReason(r) : 'ERROR';
      const response = chatV1Body(r, id, sent.join(''), reason);
      chunks.push(line({ is_finished: true, event_type: 'stream-end', finish_reason: reason, response }));
    }
    return { contentType: 'application/stream+json', chunks, ending };
  }
  const chunks = [
    sse({
      id,
      type: 'message-start',
      delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } },
    }),
    sse({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
  ];
  for (const text of sent) {
    chunks.push(sse({ type: 'content-delta', index: 0, delta: { message: { content: { text } } } }));
  }
  if (complete) {
    chunks.push(sse({ type: 'content-end', index: 0 }));
    chunks.push(sse({ type: 'message-end', delta: { finish_reason: finishReason(r), usage: usageV2(r) } }));
  } else if (errorMessage !== undefined) {
    chunks.push(sse({ type: 'message-end', delta: { error: errorMessage, finish_reason: 'ERROR' } }));
  }
  return { contentType: 'text/event-stream', chunks, ending };
}
