/**
 * What differs between the providers the emulator speaks: routes, where the key is, error bodies and
 * messages, rate-limit headers, and the shape of answers and streams. The handler's order of checks,
 * the ledgers, faults and stats are the same for all.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ParsedRequest, ParseResult, Route } from '../request.js';
import type { StreamFault, StreamPlan } from '../stream.js';
import type { FaultStatus, KeyLimits } from '../types.js';

/** Why an error is sent: the wire picks its error `type` from it. */
export type ErrorKind = 'not-found' | 'no-key' | 'invalid-key' | 'invalid-request' | 'rate-limited' | 'fault';

/** One limit's state at the moment of a request, for rate-limit headers and messages. */
export interface DimensionState {
  limit: number;
  remaining: number;
  /** Until the window is back to its full limit. */
  resetMs: number;
}

export interface LimitState {
  limits: Required<KeyLimits>;
  calls: DimensionState;
  tokens: DimensionState;
  now: number;
}

export interface Wire {
  route(path: string): Route | undefined;
  /** The API key the request carries, if any. */
  key(headers: IncomingHttpHeaders): string | undefined;
  message(kind: 'not-found' | 'no-key' | 'invalid-key', request: { method: string; path: string }): string;
  invalidJson(detail: string): string;
  faultMessage(status: FaultStatus, model: string): string;
  /** The 429 message when `dimension` is exceeded; `cohere` is the Cohere-worded one the ledger made. */
  limitMessage(
    dimension: 'calls' | 'tokens',
    state: LimitState,
    requested: number,
    waitMs: number,
    cohere: string,
  ): string;
  errorBody(status: number, message: string, kind: ErrorKind, dimension?: 'calls' | 'tokens'): unknown;
  /** Headers on every answer to an authenticated request (200 and 429 alike). */
  headers(state: LimitState): OutgoingHttpHeaders;
  parse(route: Route, body: unknown, rawText: string, seed: number): ParseResult;
  body(r: ParsedRequest, id: string, text: string): unknown;
  stream(r: ParsedRequest, id: string, pieces: string[], fault?: StreamFault): StreamPlan;
  /** What a mid-stream failure says when the script gives no message. */
  streamErrorMessage: string;
}
