import type { OptionsInit, Response } from 'got';
import { Options } from 'got';
import { abortReason } from '../../clock.js';
import type { Policy } from '../../policy/policy.js';

/** Where the init hook keeps the caller's `signal` once it has taken it off the options. */
const CALLER_SIGNAL = Symbol('steady.callerSignal');

/** Options whose call-time options got rejected (the error waits in the Request got built). */
const invalid = new WeakSet<Options>();

/**
 * got's `init` hook, run on every call's own options before got merges them.
 *
 * It moves the call's `signal` into `options.context` (under a symbol, so it follows the options
 * through every clone, `got.paginate` included): got would otherwise hang the signal on the
 * Request it builds before the handlers run, a Request the policy never sends, and an abort would
 * surface as an unhandled rejection (or an uncaught stream error) from it.
 *
 * It also notes options that got will reject (`Unexpected option: jsno`): got hands the handler
 * the options merged so far and keeps the error in that unsent Request, so without this a typo
 * would be silently dropped instead of reported.
 */
export function onInit(init: OptionsInit, self: Options): void {
  if (init.signal) {
    init.context = { ...init.context, [CALLER_SIGNAL]: init.signal };
    init.signal = undefined;
  }
  try {
    new Options(undefined, init);
  } catch {
    invalid.add(self);
  }
}

/** True when got rejected these options: the handler lets got report that error itself. */
export function isInvalid(options: Options | undefined): boolean {
  return !options || invalid.has(options);
}

/** The caller's own signal for this call, if any. */
export function callerSignalOf(options: Options): AbortSignal | undefined {
  return (options.context[CALLER_SIGNAL as unknown as string] as AbortSignal | undefined) ?? options.signal;
}

/**
 * The options of one attempt: a clone of the call's options with got's own retry off, HTTP
 * errors thrown (so the policy classifies them), the whole response kept (the caller's
 * `resolveBodyOnly` is applied once, at the end) and the attempt's signal.
 */
export function attemptOptions(options: Options, signal: AbortSignal): Options {
  const o = new Options(undefined, undefined, options);
  o.retry = { ...o.retry, limit: 0 };
  o.throwHttpErrors = true;
  o.resolveBodyOnly = false;
  o.signal = signal;
  return o;
}

/** The token estimate of a request, from its `json` option or a JSON string / Buffer body. */
export function tokensOf(policy: Policy, options: Options): number | undefined {
  const { json, body } = options;
  if (json !== undefined) return policy.estimate(json);
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const parsed = parseJson(body.toString());
    return parsed === undefined ? undefined : policy.estimate(parsed);
  }
  return undefined;
}

/** A response's body as JSON, for the preset's usage reader; `undefined` when it is not JSON. */
export function jsonOf(response: Response): unknown {
  const { body } = response;
  if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return body;
  if (!String(response.headers['content-type'] ?? '').includes('json')) return undefined;
  return typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body.toString()) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An AbortController that aborts (with the same reason) when `signal` does; `unlink` stops that. */
export function follow(signal: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (!signal) return { controller, unlink: () => {} };
  const onAbort = () => controller.abort(abortReason(signal));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener('abort', onAbort) };
}
