/**
 * What the Stainless-generated SDKs (openai, @anthropic-ai/sdk, and many others) share: every call,
 * from any resource, stream helper or page, goes through the client's `request(options)` or
 * `requestAPIList(Page, options)`, and `options` holds `maxRetries`, `signal`, `stream`, `path`
 * and `body`. Results are `APIPromise`s: `.withResponse()` gives `{ data, response }` with the body
 * parsed, `.asResponse()` the fetch `Response` with its body unread.
 */
import type { CallArgs, MethodInfo, SdkProfile, StreamEvents, WithRawResponse } from './sdk-profile.js';
import { isPlainObject, isSignal } from './sdk-values.js';

/** The core functions and the index of their options argument. */
const FUNCTIONS: Readonly<Record<string, number>> = Object.freeze({ request: 0, requestAPIList: 1 });

type Options = Record<string, unknown>;

/** The request options of a core call (already resolved: the adapter awaits a promise of them first). */
function optionsOf(args: readonly unknown[], method: MethodInfo): Options | undefined {
  const i = FUNCTIONS[method.path[method.path.length - 1] ?? ''];
  const options = i === undefined ? undefined : args[i];
  return isPlainObject(options) ? options : undefined;
}

/**
 * `{ ...options, maxRetries: 0, signal }` in place of the call's options: the SDK's own retries
 * (2 by default, on 408/409/429/5xx and dropped connections) would multiply the policy's attempts;
 * the caller's `signal` there aborts the whole call instead. Its other fields (`timeout`,
 * `headers`, …) pass through.
 */
export const stainlessArgs: CallArgs = Object.freeze({
  signalOf(args: readonly unknown[], method: MethodInfo): AbortSignal | undefined {
    const signal = optionsOf(args, method)?.signal;
    return isSignal(signal) ? signal : undefined;
  },
  forAttempt(args: readonly unknown[], signal: AbortSignal, method: MethodInfo): unknown[] {
    const out = [...args];
    const i = FUNCTIONS[method.path[method.path.length - 1] ?? ''];
    const options = optionsOf(args, method);
    if (i !== undefined && options) out[i] = { ...options, maxRetries: 0, signal };
    return out;
  },
});

/**
 * `/chat/completions` → `'chat.completions'`, `/v1/messages/count_tokens` → `'messages.count_tokens'`,
 * `/files/file-abc123/content` → `'files'`: the path's resource names, up to the first id (a
 * segment with anything but lowercase letters and `_`). A leading `v1` is dropped.
 */
export function endpointOfPath(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  const segments = path.split(/[?#]/)[0]!.split('/').filter(Boolean);
  if (/^v\d+$/.test(segments[0] ?? '')) segments.shift();
  const names: string[] = [];
  for (const s of segments) {
    if (!/^[a-z_]+$/.test(s)) break;
    names.push(s);
  }
  return names.length > 0 ? names.join('.') : undefined;
}

interface WithResponse {
  withResponse?: () => Promise<{ data: unknown; response: unknown }>;
  asResponse?: () => Promise<unknown>;
}

/** `.withResponse()`: the parsed data (a `Stream` for a streamed call, a `Page` for a list) and the `Response`. */
async function settle(result: unknown): Promise<WithRawResponse> {
  const p = result as WithResponse | null;
  if (typeof p?.withResponse !== 'function') return { data: await result, rawResponse: undefined };
  const { data, response } = await p.withResponse();
  return { data, rawResponse: response };
}

async function response(result: unknown): Promise<unknown> {
  const p = result as WithResponse | null;
  return typeof p?.asResponse === 'function' ? p.asResponse() : result;
}

/** Whether `client` has a Stainless client's core. */
export function isStainlessClient(client: object): boolean {
  const c = client as Record<string, unknown>;
  return (
    typeof c.withOptions === 'function' &&
    typeof c.request === 'function' &&
    typeof c.requestAPIList === 'function' &&
    typeof c.buildURL === 'function'
  );
}

/** Whether some class of `client`'s prototype chain has a name matching `pattern`. */
export function classNamed(client: object, pattern: RegExp): boolean {
  for (let o: object | null = client; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (pattern.test((o as { constructor?: { name?: string } }).constructor?.name ?? '')) return true;
  }
  return false;
}

const NO_EVENTS: StreamEvents = Object.freeze({ kind: () => 'data' as const, cutShort: () => false });

export interface StainlessProfileOptions {
  name: string;
  matches?: (client: object) => boolean;
  /** How its streams' events start, end and fail. @default every event is data, no end marker */
  events?: StreamEvents;
  /** The response header with the request's id, for `withResponse().request_id`. @default 'x-request-id' */
  requestIdHeader?: string;
}

/**
 * A profile for a Stainless-generated SDK. steady has one for `openai` and `@anthropic-ai/sdk`;
 * this one, with your SDK's stream events, describes any other (`groq-sdk`, …): a call streams
 * when its options say `stream: true`, its endpoint is its API path (see `endpointOfPath`).
 *
 * @example
 * wrapClient(new Groq(), policy, { profile: stainlessProfile({ name: 'groq-sdk', events: openaiStreamEvents }) });
 */
export function stainlessProfile(options: StainlessProfileOptions): SdkProfile {
  const header = options.requestIdHeader ?? 'x-request-id';
  return Object.freeze({
    name: options.name,
    matches: options.matches ?? isStainlessClient,
    args: stainlessArgs,
    streams: (args: readonly unknown[], m: MethodInfo) => optionsOf(args, m)?.stream === true,
    events: options.events ?? NO_EVENTS,
    endpoint: (args: readonly unknown[], m: MethodInfo) => endpointOfPath(optionsOf(args, m)?.path),
    request: (args: readonly unknown[], m: MethodInfo) => optionsOf(args, m)?.body,
    settle,
    core: Object.freeze({
      copy(client: object): object | undefined {
        const withOptions = (client as { withOptions?: unknown }).withOptions;
        if (typeof withOptions !== 'function') return undefined;
        return withOptions.call(client, { maxRetries: 0 }) as object;
      },
      functions: FUNCTIONS,
      clients: Object.freeze(['withOptions']),
      response,
      withResponse: ({ data, rawResponse }: WithRawResponse) => {
        const headers = (rawResponse as { headers?: { get?: (name: string) => string | null } } | undefined)
          ?.headers;
        const request_id = typeof headers?.get === 'function' ? headers.get(header) : null;
        return { data, response: rawResponse, request_id };
      },
    }),
  });
}
