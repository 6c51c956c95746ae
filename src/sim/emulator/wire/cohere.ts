/** Cohere's API (v1 and v2 chat, embed): the emulator's first and default wire. */
import type { OutgoingHttpHeaders } from 'node:http';
import { chatV1Body, chatV2Body, embedBody } from '../bodies.js';
import { defaultFaultMessage, messages } from '../catalogue.js';
import { bearerKey } from '../http.js';
import { parseRequest, routes } from '../request.js';
import { planStream } from '../stream.js';
import type { Wire } from './types.js';

export const cohereWire: Wire = {
  route: (path) => routes[path],
  key: (headers) => bearerKey(headers.authorization),
  message: (kind) =>
    kind === 'not-found' ? messages.notFound : kind === 'no-key' ? messages.noKey : messages.invalidKey,
  invalidJson: messages.invalidJson,
  faultMessage: defaultFaultMessage,
  limitMessage: (_dimension, _state, _requested, _waitMs, cohere) => cohere,
  errorBody: (_status, message) => ({ message }),
  headers(state) {
    const headers: OutgoingHttpHeaders = {};
    if (state.limits.plan === 'trial') {
      headers['x-trial-endpoint-call-limit'] = String(state.calls.limit);
      headers['x-trial-endpoint-call-remaining'] = String(state.calls.remaining);
    }
    return headers;
  },
  parse: parseRequest,
  body(r, id, text) {
    if (r.route === 'embed-v1' || r.route === 'embed-v2') return embedBody(r, id);
    return r.route === 'chat-v2' ? chatV2Body(r, id, text) : chatV1Body(r, id, text);
  },
  stream: planStream,
  streamErrorMessage: messages.streamError,
};
