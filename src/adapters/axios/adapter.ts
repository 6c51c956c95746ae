import axios, {
  type AxiosAdapter,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { rawCause } from '../../errors/raw.js';
import type { AttemptContext } from '../../policy/options.js';
import type { Policy } from '../../policy/policy.js';
import { follow } from '../sdk/follow.js';
import { eventFraming } from '../shared/frames.js';
import { guardBody, toReadable, toWebStream } from '../shared/guarded-body.js';

/** Marks the adapters we build, and holds the adapter each one wraps. */
const BASE = Symbol('steady.baseAdapter');
type Wrapped = AxiosAdapter & { [BASE]?: AxiosAdapter };

/** The adapter a config would use, unwrapped if it is already one of ours (a config sent again). */
export function baseAdapter(config: InternalAxiosRequestConfig, fallback: unknown): AxiosAdapter {
  const chosen = (config.adapter ?? fallback) as Parameters<typeof axios.getAdapter>[0];
  const base = typeof chosen === 'function' ? (chosen as Wrapped)[BASE] : undefined;
  return base ?? axios.getAdapter(chosen, config);
}

/**
 * An adapter that runs `base` under the policy: one attempt is one HTTP exchange by `base`, with
 * the attempt's signal and the same config (same serialised body). `callerSignal` is the caller's
 * own `config.signal`, taken off the config so axios cannot turn its abort into a `CanceledError`.
 */
export function adapterUnderPolicy(
  policy: Policy,
  base: AxiosAdapter,
  callerSignal: AbortSignal | undefined,
): AxiosAdapter {
  const wrapped: Wrapped = (config) => {
    const accept = config.validateStatus;
    // Every 4xx/5xx is an error the policy classifies, whatever `validateStatus` says; a status
    // the caller's `validateStatus` accepts is handed back as a response once the policy gives up.
    const attemptConfig = {
      ...config,
      validateStatus: (status: number) => status < 400 && (!accept || accept(status)),
    };
    return policy
      .run((ctx) => attempt(policy, base, attemptConfig, ctx, callerSignal), {
        // Always a signal, so that each attempt gets a fresh one: without it the policy hands every
        // attempt the same never-aborting signal, and axios's http adapter hangs one listener per
        // request in flight on it (MaxListenersExceededWarning past 10 concurrent requests).
        signal: callerSignal ?? new AbortController().signal,
        tokens: tokensOf(policy, config.data),
        usageOf: (response: AxiosResponse) => asJson(response.data),
      })
      .catch((error: unknown) => {
        // The raw AxiosError: an accepted status is the caller's own answer, handed back whole.
        // Only a response whose body was read is handed back: axios sets `data` once the body has
        // ended, and attaches the response without it to an error mid-body (a reset after the head).
        const cause = rawCause(error);
        if (!axios.isAxiosError(cause) || cause.response?.data === undefined) throw error;
        if (!accept || accept(cause.response.status)) return cause.response;
        transformResponse(config, cause.response);
        const shown = (error as { cause?: unknown }).cause; // the redacted copy the caller reads
        if (axios.isAxiosError(shown) && shown.response) transformResponse(config, shown.response);
        throw error;
      });
  };
  wrapped[BASE] = base;
  return wrapped;
}

/**
 * One HTTP exchange by `base`, with its own controller (following the attempt's signal): a streamed
 * body (`responseType: 'stream'`) outlives the attempt, and is read up to its first event here
 * (see `guardBody`), so a drop before it is this attempt's failure.
 */
async function attempt(
  policy: Policy,
  base: AxiosAdapter,
  config: InternalAxiosRequestConfig,
  ctx: AttemptContext,
  callerSignal: AbortSignal | undefined,
): Promise<AxiosResponse> {
  const controller = new AbortController();
  const unfollow = follow(ctx.signal, controller);
  try {
    const response = await base({ ...config, signal: controller.signal });
    const { data } = response;
    if (config.responseType !== 'stream' || !isAsyncIterable(data)) return response;
    const framing =
      eventFraming(AxiosHeaders.from(response.headers as AxiosHeaders).get('content-type')) ?? 'chunks';
    const body = await guardBody({ policy, body: data, framing, ctx, controller, callerSignal });
    response.data = data instanceof ReadableStream ? toWebStream(body) : toReadable(body);
    return response;
  } finally {
    unfollow();
  }
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

/** The token estimate from the request body (already serialised to a JSON string by axios). */
function tokensOf(policy: Policy, data: unknown): number | undefined {
  const body = asJson(data);
  return body === undefined ? undefined : policy.estimate(body);
}

/** A JSON body as a value: parsed when it is a string, as is when it is already an object. */
function asJson(data: unknown): unknown {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  return data !== null && typeof data === 'object' && !Buffer.isBuffer(data) ? data : undefined;
}

/**
 * axios parses an error response's body only when the adapter rejects with the AxiosError itself;
 * ours rejects with a steady error whose `cause` is the AxiosError, so parse it here: the caller
 * finds `err.cause.response.data` as axios would have given it.
 */
function transformResponse(config: InternalAxiosRequestConfig, response: AxiosResponse): void {
  try {
    const headers = AxiosHeaders.from(response.headers as AxiosHeaders);
    let data: unknown = response.data;
    for (const fn of [config.transformResponse ?? []].flat())
      data = fn.call(config, data, headers, response.status);
    response.data = data;
    response.headers = headers;
  } catch {
    // Left as the raw body: the verdict was already made from it.
  }
}
