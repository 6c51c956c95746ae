/**
 * How an SDK's calls are made, for `wrapClient` (steady/sdk): one profile per SDK, provider-neutral
 * here, one implementation in each provider's folder (`cohere/sdk-profile.ts`, `openai/…`,
 * `anthropic/…`; the Stainless-generated SDKs share `stainless.ts`). A profile knows where a call's
 * per-request options go (to turn the SDK's own retries off and hand it the attempt's signal),
 * which calls stream and how their events say they started, ended or failed, which endpoint a call
 * goes to, and how to read a call's result with its raw response.
 */

/** One wrapped function, as the adapter sees it when it calls it. */
export interface MethodInfo {
  /** The original function. */
  fn: Function;
  /** The object it was read from: the `this` it is called with. */
  owner: object;
  /** Property names from the client to the function, e.g. `['v2', 'chat']`, or `['request']` for a Stainless client's core. */
  path: readonly string[];
}

/**
 * Where a client's calls take their per-request options. It puts the attempt's signal there
 * (and turns the client's own retries off), and finds the caller's own signal.
 */
export interface CallArgs {
  /** The caller's own signal in `args`, if any: it aborts the whole call (queued, in flight, waiting). */
  signalOf(args: readonly unknown[], method: MethodInfo): AbortSignal | undefined;
  /** The arguments of one attempt: a copy of `args` carrying `signal`. Must not mutate `args`. */
  forAttempt(args: readonly unknown[], signal: AbortSignal, method: MethodInfo): unknown[];
}

/** What one stream event is. An `Error` is an in-band failure (the stream says it failed). */
export type StreamEventKind = 'start' | 'data' | 'end' | Error;

/** How a client's streams say they started, ended, or failed. */
export interface StreamEvents {
  /**
   * `'start'` events are held back with the first other event: a failure while only start events
   * were read is retried as if the stream never opened. `'end'` is the stream's own end marker
   * (several may come: the usage reader reads each).
   */
  kind(event: unknown): StreamEventKind;
  /** Whether a stream that stops without an `'end'` event was cut short. Gets its first event (undefined when there was none). */
  cutShort(first: unknown): boolean;
}

/** A call's result with the raw HTTP response it came with, when the client gave one. */
export interface WithRawResponse<T = unknown> {
  data: T;
  /** The client's raw response (cohere-ai: `{ headers, status, url, … }`; openai: a fetch `Response`); undefined when it gave none. */
  rawResponse: unknown;
  /** The request options the call was made with (Stainless: what `_thenUnwrap`'s transforms read). */
  options?: unknown;
}

/**
 * What `wrapClient` needs to know of one SDK. Pass one as `wrapClient(client, policy, { profile })`
 * to describe an SDK steady has no profile for; every field but `name` is optional (the defaults
 * leave arguments untouched and treat every event as data).
 */
export interface SdkProfile {
  /** The SDK's package name, for messages: `'openai'`. */
  name: string;
  /** Whether `client` is one of this SDK's clients (the built-in profiles are chosen by it). */
  matches?(client: object): boolean;
  /** Where the attempt's signal and `maxRetries: 0` go. @default arguments untouched */
  args?: CallArgs;
  /** Whether a call returns a stream (an async iterable, or a promise of one). @default never */
  streams?(args: readonly unknown[], method: MethodInfo): boolean;
  /** How its streams start, end and fail. @default every event is data, no end marker */
  events?: StreamEvents;
  /** The endpoint a call goes to, for `RunOptions.endpoint` (`'chat'`, `'chat.completions'`). @default none */
  endpoint?(args: readonly unknown[], method: MethodInfo): string | undefined;
  /** The request body the token estimate reads. @default the first argument, when it is an object */
  request?(args: readonly unknown[], method: MethodInfo): unknown;
  /**
   * A call's cost on dimensions other than `calls` and `tokens`, for `RunOptions.cost` (cohere-ai:
   * an `embed` call's `{ inputs }`, for the plan's `embed:inputs` limit). @default none
   */
  cost?(args: readonly unknown[], method: MethodInfo): Readonly<Record<string, number>> | undefined;
  /**
   * Reads a call's result to its data and raw response. The raw response's `headers` are what the
   * policy's server watch reads (`limiter.fromHeaders`), on success as on error; the caller still
   * gets the data. @default awaits it, no raw response (cohere-ai: `.withRawResponse()`; Stainless: `.withResponse()`)
   */
  settle?(result: unknown, method: MethodInfo): Promise<WithRawResponse>;
  /**
   * For SDKs whose every call goes through a few core functions (Stainless: `request`,
   * `requestAPIList`): `wrapClient` puts those under the policy on a copy of the client, so
   * resources, stream helpers and pagination all go through them. Without it, every async method
   * is wrapped through a Proxy.
   */
  core?: StainlessCore;
}

/** The core of a client whose calls all go through a few functions. */
export interface StainlessCore {
  /** A private copy of `client` (its own resources, the SDK's retries off), or undefined when it cannot make one. */
  copy(client: object): object | undefined;
  /** The functions every request goes through, with the index of their options argument. */
  functions: Readonly<Record<string, number>>;
  /** Functions that return a new client (`withOptions`): their result is wrapped too. */
  clients: readonly string[];
  /** Reads a call's result as the raw response only, its body unread (for `.asResponse()`). */
  response(result: unknown): Promise<unknown>;
  /** `withResponse()`'s value from a settled result: `{ data, response, request_id }`. */
  withResponse(r: WithRawResponse): unknown;
}
