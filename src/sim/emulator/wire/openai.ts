/**
 * OpenAI's chat completions (`POST /v1/chat/completions`), as the `openai` SDK reads it: `{ error:
 * { message, type, param, code } }` bodies, `x-ratelimit-*` headers on every answer, SSE chunks
 * ending with `data: [DONE]`, and `stream_options.include_usage` for a last chunk with the usage.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ParsedRequest } from '../request.js';
import type { StreamPlan } from '../stream.js';
import type { FaultStatus } from '../types.js';
import { goDuration, parseChat } from './chat.js';
import type { ErrorKind, Wire } from './types.js';

const TYPES: Record<ErrorKind, string> = {
  'not-found': 'invalid_request_error',
  'no-key': 'invalid_request_error',
  'invalid-key': 'invalid_request_error',
  'invalid-request': 'invalid_request_error',
  'rate-limited': 'requests',
  fault: 'server_error',
};

const FAULTS: Record<FaultStatus, string> = {
  400: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
  401: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  402: 'You exceeded your current quota, please check your plan and billing details.',
  404: 'The model does not exist or you do not have access to it.',
  429: 'Rate limit reached for requests. Please try again in 1s.',
  499: 'Request cancelled.',
  500: 'The server had an error while processing your request. Sorry about that!',
  502: 'Bad gateway.',
  503: 'The engine is currently overloaded, please try again later.',
  504: 'Gateway timeout.',
  529: 'The engine is currently overloaded, please try again later.',
};

const finish = (r: ParsedRequest) => (r.hitMaxTokens ? 'length' : 'stop');
const usage = (r: ParsedRequest) => ({
  prompt_tokens: r.inputTokens,
  completion_tokens: r.outputTokens,
  total_tokens: r.inputTokens + r.outputTokens,
});
const chatId = (id: string) => `chatcmpl-${id.replaceAll('-', '').slice(-24)}`;
const CREATED = 1_700_000_000;

export const openaiWire: Wire = {
  route: (path) => (path === '/v1/chat/completions' ? 'openai-chat' : undefined),
  key: (headers) => /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1],
  message(kind, { method, path }) {
    if (kind === 'not-found') return `Invalid URL (${method} ${path})`;
    if (kind === 'no-key')
      return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    return FAULTS[401]; // the real API echoes part of the key; the emulator never does
  },
  invalidJson: () => FAULTS[400],
  faultMessage: (status) => FAULTS[status],
  limitMessage(dimension, state, requested, waitMs) {
    const d = state[dimension];
    const what = dimension === 'calls' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
    return `Rate limit reached for requests in organization org-emulator on ${what}: Limit ${d.limit}, Used ${d.limit - d.remaining}, Requested ${requested}. Please try again in ${goDuration(waitMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
  },
  errorBody(status, message, kind, dimension) {
    const type = kind === 'rate-limited' ? (dimension === 'tokens' ? 'tokens' : 'requests') : TYPES[kind];
    const code =
      kind === 'rate-limited'
        ? 'rate_limit_exceeded'
        : kind === 'invalid-key'
          ? 'invalid_api_key'
          : status === 404 && kind === 'fault'
            ? 'model_not_found'
            : null;
    return { error: { message, type: status >= 500 ? 'server_error' : type, param: null, code } };
  },
  headers(state): OutgoingHttpHeaders {
    return {
      'x-ratelimit-limit-requests': String(state.calls.limit),
      'x-ratelimit-limit-tokens': String(state.tokens.limit),
      'x-ratelimit-remaining-requests': String(state.calls.remaining),
      'x-ratelimit-remaining-tokens': String(state.tokens.remaining),
      'x-ratelimit-reset-requests': goDuration(state.calls.resetMs),
      'x-ratelimit-reset-tokens': goDuration(state.tokens.resetMs),
    };
  },
  parse: (route, body, rawText, seed) =>
    parseChat(route, body, rawText, seed, {
      maxTokensFields: ['max_completion_tokens', 'max_tokens'],
      maxTokensRequired: false,
      messages: {
        notObject: FAULTS[400],
        noModel: 'you must provide a model parameter',
        noMessages: "Missing required parameter: 'messages'.",
        noMaxTokens: '',
        tooLong: (over) =>
          `This model's maximum context length is 128000 tokens. However, your messages resulted in ${128_000 + over} tokens. Please reduce the length of the messages.`,
        maxTokens: (max, received) =>
          `max_tokens is too large: ${received}. This model supports at most ${max} completion tokens, whereas you provided ${received}.`,
      },
    }),
  body: (r, id, text) => ({
    id: chatId(id),
    object: 'chat.completion',
    created: CREATED,
    model: r.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: finish(r),
      },
    ],
    usage: usage(r),
  }),
  stream(r, id, pieces, fault): StreamPlan {
    const sent = fault ? pieces.slice(0, Math.min(fault.after, pieces.length)) : pieces;
    const base = { id: chatId(id), object: 'chat.completion.chunk', created: CREATED, model: r.model };
    const data = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const chunk = (delta: object, finishReason: string | null) =>
      data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
    const chunks = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
    for (const content of sent) chunks.push(chunk({ content }, null));
    if (!fault) {
      chunks.push(chunk({}, finish(r)));
      if (r.includeUsage) chunks.push(data({ ...base, choices: [], usage: usage(r) }));
      chunks.push('data: [DONE]\n\n');
    } else if (fault.kind === 'fail' && fault.mode === 'event') {
      chunks.push(
        data({
          error: { message: fault.message, type: fault.errorType ?? 'server_error', param: null, code: null },
        }),
      );
    }
    const ending = fault?.kind === 'fail' && fault.mode === 'destroy' ? 'destroy' : 'end';
    return { contentType: 'text/event-stream; charset=utf-8', chunks, ending };
  },
  streamErrorMessage: 'The server had an error while processing your request. Sorry about that!',
};
