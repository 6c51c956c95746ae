/**
 * One request, in the order Cohere's edge would see it: route (404), key (401), JSON (400), injected fault,
 * validation (400), rate limit (429, not charged), charge at arrival, then the answer after the latency.
 * A request is charged (calls and tokens) only when it is admitted, i.e. answered 200.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { faultKind } from './faults.js';
import { generateWords } from './generate.js';
import { readBody, sendJson } from './http.js';
import type { ParsedRequest } from './request.js';
import type { EmulatorState } from './state.js';
import type { StreamFault } from './stream.js';
import type { ScriptedFault } from './types.js';
import type { ErrorKind } from './wire/index.js';

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

interface ErrorSpec {
  kind: ErrorKind;
  headers?: OutgoingHttpHeaders;
  delayMs?: number;
  dimension?: 'calls' | 'tokens';
}

function error(x: Exchange, status: number, message: string, spec: ErrorSpec) {
  later(x, spec.delayMs ?? 0, () => {
    x.state.stats.status(status);
    sendJson(
      x.res,
      status,
      x.state.wire.errorBody(status, message, spec.kind, spec.dimension),
      spec.headers ?? {},
    );
  });
}

function streamFaultOf(fault: ScriptedFault | undefined, streamError: string): StreamFault | undefined {
  if (!fault || fault === 'reset') return undefined;
  if ('streamFailAfter' in fault) {
    const message = fault.message ?? streamError;
    const f = { kind: 'fail', after: fault.streamFailAfter, mode: fault.mode ?? 'event', message } as const;
    return fault.errorType === undefined ? f : { ...f, errorType: fault.errorType };
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
  const { wire } = state;
  const id = state.nextId();
  state.stats.status(200);
  const pieces = generateWords(r.hash, r.outputTokens);
  if (!r.stream) return sendJson(res, 200, wire.body(r, id, pieces.join('')), headers);
  const streamFault = streamFaultOf(fault, wire.streamErrorMessage);
  if (streamFault && fault) state.stats.fault(faultKind(fault));
  const plan = wire.stream(r, id, pieces, streamFault);
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
  const { options, stats, wire } = state;
  const path = new URL(req.url ?? '/', 'http://emulator').pathname.replace(/\/+$/, '');
  stats.received(path);
  const text = await readBody(req);
  if (x.gone) return;
  const route = req.method === 'POST' ? wire.route(path) : undefined;
  const where = { method: req.method ?? 'GET', path };
  if (!route)
    return error(x, 404, wire.message('not-found', where), { kind: 'not-found', delayMs: state.latencyMs() });
  const key = wire.key(req.headers);
  if (key === undefined)
    return error(x, 401, wire.message('no-key', where), { kind: 'no-key', delayMs: state.latencyMs() });
  const ledger = state.ledgers.get(key);
  if (!ledger)
    return error(x, 401, wire.message('invalid-key', where), {
      kind: 'invalid-key',
      delayMs: state.latencyMs(),
    });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const message = wire.invalidJson((e as Error).message);
    return error(x, 400, message, { kind: 'invalid-request', delayMs: state.latencyMs() });
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
    const message = fault.message ?? wire.faultMessage(fault.status, typeof model === 'string' ? model : '');
    const kind = fault.status === 429 ? 'rate-limited' : fault.status < 500 ? 'invalid-request' : 'fault';
    return error(x, fault.status, message, {
      kind: fault.status === 401 ? 'invalid-key' : kind,
      headers,
      delayMs: latency,
    });
  }

  const parsed = wire.parse(route, body, text, options.seed);
  if (!parsed.ok) return error(x, 400, parsed.message, { kind: 'invalid-request', delayMs: latency });
  const r = parsed.request;
  const now = options.clock.now();
  const tokens = r.inputTokens + r.outputTokens;
  const before = ledger.state(now);
  const admission = ledger.admit(now, tokens);
  if (!admission.ok) {
    stats.rateLimited(key, admission.dimension);
    const headers = wire.headers(before);
    if (options.retryAfterHeader)
      headers['retry-after'] = String(Math.max(1, Math.ceil(admission.waitMs / 1000)));
    const requested = admission.dimension === 'calls' ? 1 : tokens;
    const message = wire.limitMessage(
      admission.dimension,
      before,
      requested,
      admission.waitMs,
      admission.message,
    );
    return error(x, 429, message, {
      kind: 'rate-limited',
      dimension: admission.dimension,
      headers,
      delayMs: latency,
    });
  }
  const headers = wire.headers(ledger.state(now));
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
