/**
 * The emulator's server without HTTP, on the virtual clock: the same fault draws, latencies, 429
 * messages and per-key ledgers as `startEmulator` (it reuses its state), answered as promises. It
 * records every request it sees, for the report and the picture.
 */
import { abortReason, type Clock } from '../../clock.js';
import { defaultFaultMessage } from '../emulator/catalogue.js';
import { faultKind } from '../emulator/faults.js';
import { resolveOptions } from '../emulator/options.js';
import { EmulatorState } from '../emulator/state.js';
import { faultOptions } from './fault-mix.js';
import type { SimulateOptions } from './types.js';

const KEY = 'sim-key';
export const MODEL = 'command-a-03-2025';

/** What the server did with one request, at its arrival. */
export type ServerEvent =
  | { at: number; kind: 'accepted'; tokens: number }
  | { at: number; kind: 'rate-limited'; dimension: 'calls' | 'tokens' }
  | { at: number; kind: 'fault'; fault: string };

/** A failed request, shaped as `classify` reads it: `{ status, body, headers }`. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string },
    readonly headers: Record<string, string>,
  ) {
    super(`${status} ${body.message}`);
  }
}

/** A connection reset before any response. */
export class ResetFailure extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('read ECONNRESET');
  }
}

/** Cohere v2's answer, as far as a usage reader looks. */
export interface ChatAnswer {
  id: string;
  finish_reason: 'COMPLETE';
  usage: { billed_units: { input_tokens: number; output_tokens: number } };
}

export class VirtualServer {
  readonly events: ServerEvent[] = [];
  readonly state: EmulatorState;

  constructor(options: SimulateOptions, clock: Clock) {
    const faults = faultOptions(options.faults);
    this.state = new EmulatorState(
      resolveOptions({
        keys: {
          [KEY]: {
            callsPerMinute: options.limits.calls,
            tokensPerMinute: options.limits.tokens,
            plan: options.limits.plan,
          },
        },
        limitAlgorithm: options.server,
        latencyMs: { min: options.latencyMs[0], max: options.latencyMs[1] },
        ...(faults && { faults }),
        seed: options.seed,
        clock,
      }),
    );
  }

  /** One chat request: answers (or fails) after the drawn latency; charged at arrival when admitted. */
  request(inputTokens: number, outputTokens: number, signal?: AbortSignal): Promise<ChatAnswer> {
    const { state } = this;
    const { clock } = state.options;
    const now = clock.now();
    state.stats.received('/v2/chat');
    const fault = state.faults.next();
    const latency = state.latencyMs();
    return new Promise<ChatAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      let cancel = () => {};
      const onAbort = () => {
        cancel();
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (fn: () => void) => {
        cancel = state.after(latency, () => {
          signal?.removeEventListener('abort', onAbort);
          fn();
        });
      };
      const fail = (error: Error) => settle(() => reject(error));
      if (fault === 'reset' || (fault && 'status' in fault)) {
        const kind = faultKind(fault);
        state.stats.fault(kind);
        this.events.push({ at: now, kind: 'fault', fault: kind });
        if (fault === 'reset') return fail(new ResetFailure());
        state.stats.status(fault.status);
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        return fail(
          new HttpFailure(fault.status, { message: defaultFaultMessage(fault.status, MODEL) }, headers),
        );
      }
      const ledger = state.ledgers.get(KEY)!;
      const tokens = inputTokens + outputTokens;
      const admission = ledger.admit(now, tokens);
      if (!admission.ok) {
        state.stats.rateLimited(KEY, admission.dimension);
        state.stats.status(429);
        this.events.push({ at: now, kind: 'rate-limited', dimension: admission.dimension });
        const retryAfter = String(Math.max(1, Math.ceil(admission.waitMs / 1000)));
        return fail(new HttpFailure(429, { message: admission.message }, { 'retry-after': retryAfter }));
      }
      state.stats.accepted(KEY, now, tokens);
      state.stats.status(200);
      this.events.push({ at: now, kind: 'accepted', tokens });
      const id = state.nextId();
      const usage = { billed_units: { input_tokens: inputTokens, output_tokens: outputTokens } };
      settle(() => resolve({ id, finish_reason: 'COMPLETE', usage }));
    });
  }
}
