import { secretsOf } from '../../errors/redact.js';
import type { Policy } from '../../policy/policy.js';
import type { UsageReader } from '../../presets/types.js';
import { checkShape, func, methods } from '../../validate.js';
import { cohereArgs } from './cohere-args.js';
import { cohereStreamEvents } from './cohere-stream-events.js';

/** One wrapped method, as the adapter sees it when it calls it. */
export interface MethodInfo {
  /** The original function. */
  fn: Function;
  /** The object it was read from: the `this` it is called with. */
  owner: object;
  /** Property names from the client to the method, e.g. `['v2', 'chat']`. */
  path: readonly string[];
}

/**
 * Where a client's methods take their per-request options. It puts the attempt's signal there
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
   * were read is retried as if the stream never opened. `'end'` is the stream's own end marker.
   */
  kind(event: unknown): StreamEventKind;
  /** Whether a stream that stops without an `'end'` event was cut short. Gets its first event (undefined when there was none). */
  cutShort(first: unknown): boolean;
}

export interface WrapOptions {
  /**
   * Which functions run under the policy, by path (`['v2', 'chat']`). Every function is assumed to
   * be async: exclude synchronous ones here. Names starting with `_`, `then`, `constructor` and
   * `Object.prototype` methods are never wrapped.
   * @default every function
   */
  methods?: (path: readonly string[]) => boolean;
  /**
   * Which methods return a stream (an async iterable, or a promise of one).
   * @default names ending in `Stream` (`chatStream`, `generateStream`)
   */
  streamMethods?: (path: readonly string[]) => boolean;
  /**
   * Where the attempt's signal goes in the arguments; `false` leaves arguments untouched (the
   * client then never sees the attempt's signal, and its own retries stay on).
   * @default cohereArgs: `{ maxRetries: 0, abortSignal }` merged into the `requestOptions` argument
   */
  args?: CallArgs | false;
  /** How streams start, end and fail. @default cohereStreamEvents (v2 `message-end`, v1 `stream-end`) */
  streamEvents?: StreamEvents;
  /** Reads the usage a stream's `'end'` event reports, to commit the token reservation. @default the policy's preset reader (`policy.usage`) */
  streamUsage?: UsageReader;
}

const PASS: CallArgs = Object.freeze({
  signalOf: () => undefined,
  forAttempt: (args: readonly unknown[]) => [...args],
});

/** The options with every default filled in, and the policy they serve. */
export interface Settings {
  policy: Policy;
  methods: (path: readonly string[]) => boolean;
  streamMethods: (path: readonly string[]) => boolean;
  args: CallArgs;
  events: StreamEvents;
  usage: UsageReader;
  /** The client's credentials (cohere-ai: its `token`), kept out of steady's errors and events. */
  secrets: readonly string[];
}

const SHAPE = {
  methods: func,
  streamMethods: func,
  args: (value: unknown, path: string) => {
    if (value !== false) methods(['signalOf', 'forAttempt'], 'false or CallArgs')(value, path);
  },
  streamEvents: methods(['kind', 'cutShort'], 'StreamEvents'),
  streamUsage: func,
};

/** Checks the options; each error names the option (`wrapClient.methods`). */
export function resolveSettings(policy: Policy, options: WrapOptions, client: object): Settings {
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: wrapClient(client, policy) needs a policy from createPolicy()');
  checkShape(options, 'wrapClient', SHAPE);
  const args = options.args === false ? PASS : (options.args ?? cohereArgs);
  const events = options.streamEvents ?? cohereStreamEvents;
  return {
    policy,
    methods: options.methods ?? (() => true),
    streamMethods: options.streamMethods ?? ((path) => /Stream$/.test(path[path.length - 1] ?? '')),
    args,
    events,
    usage: options.streamUsage ?? ((event: unknown) => policy.usage(event)),
    secrets: secretsOf(client),
  };
}
