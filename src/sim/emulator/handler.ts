/**
 * One request, in the order Cohere's edge would see it: route (404), key (401), JSON (400), injected fault,
 * validation (400), rate limit (429, not charged), charge at arrival, then the answer after the latency.
 * A request is charged (calls and tokens) only when it is admitted, i.e. answered 200.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { chatV1Body, chatV2Body, embedBody } from './bodies.js';
import { defaultFaultMessage, messages } from './catalogue.js';
import { faultKind } from './faults.js';
import { generateWords } from './generate.js';
import { bearerKey, readBody, sendJson } from './http.js';
import { type ParsedRequest, parseRequest, routes } from './request.js';
import type { EmulatorState } from './state.js';
import { planStream, type StreamFault } from './stream.js';
import type { ScriptedFault } from './types.js';

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  /** Set once the client has gone (or the response is done): nothing more is written. */
  gone: boolean;
}

/** Answers after `delayMs` (real time) unless the client leaves first. */
function later(x: Exchange, delayMs: number, fn: () => void): void {
  const cancel = x.state.after(delayMs, () => {
    if (!x.gone) fn();
  });
  x.res.once('close', cancel);
}

function error(x: Exchange, status: number, message: string, headers: OutgoingHttpHeaders = {}, delayMs = 0) {
  later(x, delayMs, () => {
    x.state.stats.status(status);
    sendJson(x.res, status, { message }, headers);
  });
}

function streamFaultOf(fault: ScriptedFault | undefined): StreamFault | undefined {
  if (!fault || fault === 'reset') return undefined;
  if ('streamFailAfter' in fault) {
    const message = fault.message ?? messages.streamError;
    return { kind: 'fail', after: fault.streamFailAfter, mode: fault.mode ?? 'event', message };
  }
  if ('streamEndEarly' in fault) return { kind: 'endEarly', after: fault.streamEndEarly };
  return undefined;
}

function answer(
  x: Exchange,
  r: ParsedRequest,
  fault: ScriptedFault | undefined,
  headers: OutgoingHttpHeaders,
) {
  const { res, state } = x;
  const id = state.nextId();
  state.stats.status(200);
  if (r.route === 'embed-v1' || r.route === 'embed-v2') return sendJson(res, 200, embedBody(r, id), headers);
  const pieces = generateWords(r.hash, r.outputTokens);
  if (!r.stream) {
    const body =
      r.route === 'chat-v2' ? chatV2Body(r, id, pieces.join('')) : chatV1Body(r, id, pieces.join(''));
    return sendJson(res, 200, body, headers);
  }
  const streamFault = streamFaultOf(fault);
  if (streamFault && fault) state.stats.fault(faultKind(fault));
  const plan = planStream(r, id, pieces, streamFault);
  res.writeHead(200, { ...headers, 'content-type': plan.contentType, 'cache-control': 'no-cache' });
  const last = plan.chunks.length - 1;
  plan.chunks.forEach((chunk, i) => {
    if (i < last) res.write(chunk);
    else if (plan.ending === 'end') res.end(chunk);
    else res.write(chunk, () => res.socket?.destroy());
  });
}

async function handle(x: Exchange): Promise<void> {
  const { req, state } = x;
  const { options, stats } = state;
  const path = new URL(req.url ?? '/', 'http://emulator').pathname.replace(/\/+$/, '');
  stats.received(path);
  const text = await readBody(req);
  if (x.gone) return;
  const route = req.method === 'POST' ? routes[path] : undefined;
  if (!route) return error(x, 404, messages.notFound, {}, state.latencyMs());
  const key = bearerKey(req.headers.authorization);
  if (key === undefined) return error(x, 401, messages.noKey, {}, state.latencyMs());
  const ledger = state.ledgers.get(key);
  if (!ledger) return error(x, 401, messages.invalidKey, {}, state.latencyMs());
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return error(x, 400, messages.invalidJson((e as Error).message), {}, state.latencyMs());
  }

  const fault = state.faults.next();
  const latency = state.latencyMs();
  if (fault === 'reset') {
    stats.fault('reset');
    return later(x, latency, () => req.socket.resetAndDestroy());
  }
  if (fault && 'status' in fault) {
    stats.fault(faultKind(fault));
    const headers =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    const model = (body as { model?: unknown } | null)?.model;
    const message =
      fault.message ?? defaultFaultMessage(fault.status, typeof model === 'string' ? model : '');
    return error(x, fault.status, message, headers, latency);
  }

  const parsed = parseRequest(route, body, text, options.seed);
  if (!parsed.ok) return error(x, 400, parsed.message, {}, latency);
  const r = parsed.request;
  const now = options.clock.now();
  const tokens = r.inputTokens + r.outputTokens;
  const admission = ledger.admit(now, tokens);
  const headers: OutgoingHttpHeaders = {};
  if (ledger.limits.plan === 'trial') {
    headers['x-trial-endpoint-call-limit'] = String(ledger.limits.callsPerMinute);
    headers['x-trial-endpoint-call-remaining'] = String(ledger.callsRemaining(now));
  }
  if (!admission.ok) {
    stats.rateLimited(key, admission.dimension);
    if (options.retryAfterHeader)
      headers['retry-after'] = String(Math.max(1, Math.ceil(admission.waitMs / 1000)));
    return error(x, 429, admission.message, headers, latency);
  }
  stats.accepted(key, now, tokens);
  let delay = latency;
  if (fault && 'delayMs' in fault) {
    stats.fault('delay');
    delay += fault.delayMs / options.timeScale;
  }
  later(x, delay, () => answer(x, r, fault, headers));
}

/** The server's request listener. */
export function createHandler(state: EmulatorState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const x: Exchange = { req, res, state, gone: false };
    res.once('close', () => {
      x.gone = true;
    });
    handle(x).catch((e: unknown) => {
      if (x.gone) return;
      if (res.headersSent) res.destroy();
      else {
        state.stats.status(500);
        sendJson(res, 500, { message: `internal server error: ${(e as Error).message}` });
      }
    });
  };
}
