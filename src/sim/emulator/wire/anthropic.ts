/**
 * Anthropic's Messages API (`POST /v1/messages`), as `@anthropic-ai/sdk` reads it: the key in
 * `x-api-key`, `{ type: 'error', error: { type, message } }` bodies, `anthropic-ratelimit-*` headers
 * (resets as RFC 3339 times) on every answer, and the SSE events of a streamed message.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ParsedRequest } from '../request.js';
import type { StreamPlan } from '../stream.js';
import type { FaultStatus } from '../types.js';
import { parseChat } from './chat.js';
import type { Wire } from './types.js';

const FAULTS: Record<FaultStatus, [type: string, message: string]> = {
  400: ['invalid_request_error', 'messages: at least one message is required'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  404: ['not_found_error', 'model: not found'],
  429: [
    'rate_limit_error',
    'Number of concurrent connections has exceeded your rate limit. Please try again later.',
  ],
  499: ['api_error', 'Request cancelled'],
  500: ['api_error', 'Internal server error'],
  502: ['api_error', 'Bad gateway'],
  503: ['api_error', 'Service unavailable'],
  504: ['timeout_error', 'Request timeout'],
  529: ['overloaded_error', 'Overloaded'],
};

const LIMIT_DOCS =
  '(https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.';

const stop = (r: ParsedRequest) => (r.hitMaxTokens ? 'max_tokens' : 'end_turn');
const msgId = (id: string) => `msg_${id.replaceAll('-', '').slice(-24)}`;
const iso = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export const anthropicWire: Wire = {
  route: (path) => (path === '/v1/messages' ? 'anthropic-messages' : undefined),
  key(headers) {
    const key = headers['x-api-key'];
    if (typeof key === 'string' && key.trim() !== '') return key.trim();
    return /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  },
  message(kind) {
    if (kind === 'not-found') return 'Not Found';
    return kind === 'no-key' ? 'x-api-key header is required' : 'invalid x-api-key';
  },
  invalidJson: (detail) => `There was an error parsing the body of your request: ${detail}`,
  faultMessage: (status) => FAULTS[status][1],
  limitMessage: (dimension) =>
    `Number of ${dimension === 'calls' ? 'requests' : 'request tokens'} has exceeded your per-minute rate limit ${LIMIT_DOCS}`,
  errorBody(status, message, kind) {
    const type =
      kind === 'not-found'
        ? 'not_found_error'
        : kind === 'no-key' || kind === 'invalid-key'
          ? 'authentication_error'
          : kind === 'invalid-request'
            ? 'invalid_request_error'
            : kind === 'rate-limited'
              ? 'rate_limit_error'
              : (FAULTS[status as FaultStatus]?.[0] ?? 'api_error');
    return { type: 'error', error: { type, message } };
  },
  headers(state): OutgoingHttpHeaders {
    return {
      'anthropic-ratelimit-requests-limit': String(state.calls.limit),
      'anthropic-ratelimit-requests-remaining': String(state.calls.remaining),
      'anthropic-ratelimit-requests-reset': iso(state.now + state.calls.resetMs),
      'anthropic-ratelimit-tokens-limit': String(state.tokens.limit),
      'anthropic-ratelimit-tokens-remaining': String(state.tokens.remaining),
      'anthropic-ratelimit-tokens-reset': iso(state.now + state.tokens.resetMs),
    };
  },
  parse: (route, body, rawText, seed) =>
    parseChat(route, body, rawText, seed, {
      maxTokensFields: ['max_tokens'],
      maxTokensRequired: true,
      messages: {
        notObject: 'There was an error parsing the body of your request: the body must be a JSON object',
        noModel: 'model: Field required',
        noMessages: 'messages: at least one message is required',
        noMaxTokens: 'max_tokens: Field required',
        tooLong: (over) => `prompt is too long: ${128_000 + over} tokens > 128000 maximum`,
        maxTokens: (max, received) =>
          `max_tokens: ${received} > ${max}, which is the maximum allowed number of output tokens`,
      },
    }),
  body: (r, id, text) => ({
    id: msgId(id),
    type: 'message',
    role: 'assistant',
    model: r.model,
    content: [{ type: 'text', text }],
    stop_reason: stop(r),
    stop_sequence: null,
    usage: { input_tokens: r.inputTokens, output_tokens: r.outputTokens },
  }),
  stream(r, id, pieces, fault): StreamPlan {
    const sent = fault ? pieces.slice(0, Math.min(fault.after, pieces.length)) : pieces;
    const sse = (data: { type: string; [k: string]: unknown }) =>
      `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    const chunks = [
      sse({
        type: 'message_start',
        message: {
          id: msgId(id),
          type: 'message',
          role: 'assistant',
          model: r.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: r.inputTokens, output_tokens: 1 },
        },
      }),
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      sse({ type: 'ping' }),
    ];
    for (const text of sent)
      chunks.push(sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }));
    if (!fault) {
      chunks.push(sse({ type: 'content_block_stop', index: 0 }));
      chunks.push(
        sse({
          type: 'message_delta',
          delta: { stop_reason: stop(r), stop_sequence: null },
          usage: { output_tokens: r.outputTokens },
        }),
      );
      chunks.push(sse({ type: 'message_stop' }));
    } else if (fault.kind === 'fail' && fault.mode === 'event') {
      chunks.push(
        sse({
          type: 'error',
          error: { type: fault.errorType ?? 'overloaded_error', message: fault.message },
        }),
      );
    }
    const ending = fault?.kind === 'fail' && fault.mode === 'destroy' ? 'destroy' : 'end';
    return { contentType: 'text/event-stream; charset=utf-8', chunks, ending };
  },
  streamErrorMessage: 'Overloaded',
};
