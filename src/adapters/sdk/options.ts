import { secretsOf } from '../../errors/redact.js';
import type { Policy } from '../../policy/policy.js';
import type {
  CallArgs,
  MethodInfo,
  SdkProfile,
  StainlessCore,
  StreamEvents,
  WithRawResponse,
} from '../../presets/sdk-profile.js';
import type { UsageReader } from '../../presets/types.js';
import { checkShape, func, invalid, methods, required, shape } from '../../validate.js';
import { profileOf } from './profiles.js';

export type { CallArgs, MethodInfo, StreamEventKind, StreamEvents } from '../../presets/sdk-profile.js';

export interface WrapOptions {
  /**
   * What steady knows of the client's SDK: where a call's options go, which calls stream, how
   * their events end, which endpoint a call goes to. Describe an SDK steady has no profile for
   * with one of your own (see `SdkProfile`; `stainlessProfile({ name, events })` for a
   * Stainless-generated one). The fields below override the profile's.
   * @default chosen from the client: openai, @anthropic-ai/sdk, any Stainless-generated client, cohere-ai
   */
  profile?: SdkProfile;
  /**
   * Which functions run under the policy, by path (`['v2', 'chat']`). Every function is assumed to
   * be async: exclude synchronous ones here. Names starting with `_`, `then`, `constructor` and
   * `Object.prototype` methods are never wrapped.
   * @default every function
   */
  methods?: (path: readonly string[]) => boolean;
  /**
   * Which methods return a stream (an async iterable, or a promise of one).
   * @default the profile's (cohere-ai: names ending in `Stream`; openai, Anthropic: `stream: true` in the request)
   */
  streamMethods?: (path: readonly string[]) => boolean;
  /**
   * Where the attempt's signal goes in the arguments; `false` leaves arguments untouched (the
   * client then never sees the attempt's signal, and its own retries stay on).
   * @default the profile's (cohere-ai: `{ maxRetries: 0, abortSignal }` merged into `requestOptions`;
   * openai, Anthropic: `{ maxRetries: 0, signal }` merged into the request options)
   */
  args?: CallArgs | false;
  /** How streams start, end and fail. @default the profile's (cohere-ai: v2 `message-end`, v1 `stream-end`) */
  streamEvents?: StreamEvents;
  /**
   * A call's cost on the policy's other dimensions (`RunOptions.cost`), from its arguments and
   * path: `(args, path) => ({ inputs: args[0].texts.length })`. Its dimensions win over the
   * profile's; `undefined` keeps the profile's. For a Stainless client (openai, Anthropic) the
   * arguments are its core's: `[{ method, path, body, … }]`, path `['request']`.
   * @default the profile's (cohere-ai: `embed` charges `inputs`, its texts, images and inputs)
   */
  cost?: (args: readonly unknown[], path: readonly string[]) => Readonly<Record<string, number>> | undefined;
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
  profile: SdkProfile;
  methods: (path: readonly string[]) => boolean;
  streams: (args: readonly unknown[], method: MethodInfo) => boolean;
  args: CallArgs;
  events: StreamEvents;
  usage: UsageReader;
  endpoint: (args: readonly unknown[], method: MethodInfo) => string | undefined;
  request: (args: readonly unknown[], method: MethodInfo) => unknown;
  cost: (args: readonly unknown[], method: MethodInfo) => Readonly<Record<string, number>> | undefined;
  settle: (result: unknown, method: MethodInfo) => Promise<WithRawResponse>;
  core: StainlessCore | undefined;
  /** The client's credentials (cohere-ai: its `token`; openai: its `apiKey`), kept out of steady's errors and events. */
  secrets: readonly string[];
}

const NO_EVENTS: StreamEvents = Object.freeze({ kind: () => 'data' as const, cutShort: () => false });
const firstObject = (args: readonly unknown[]) =>
  args[0] !== null && typeof args[0] === 'object' ? args[0] : undefined;
const awaited = async (result: unknown): Promise<WithRawResponse> => ({
  data: await result,
  rawResponse: undefined,
});

const PROFILE_SHAPE = {
  name: required((value: unknown, path: string) => {
    if (typeof value !== 'string') throw invalid(path, 'a string', value);
  }, "the SDK's name"),
  matches: func,
  args: methods(['signalOf', 'forAttempt'], 'CallArgs'),
  streams: func,
  events: methods(['kind', 'cutShort'], 'StreamEvents'),
  endpoint: func,
  request: func,
  cost: func,
  settle: func,
  core: methods(['copy', 'response', 'withResponse'], 'StainlessCore'),
};

const SHAPE = {
  methods: func,
  streamMethods: func,
  args: (value: unknown, path: string) => {
    if (value !== false) methods(['signalOf', 'forAttempt'], 'false or CallArgs')(value, path);
  },
  streamEvents: methods(['kind', 'cutShort'], 'StreamEvents'),
  streamUsage: func,
  cost: func,
  profile: shape(PROFILE_SHAPE),
};

type CostFn = (
  args: readonly unknown[],
  path: readonly string[],
) => Readonly<Record<string, number>> | undefined;

/** The profile's cost of a call, with the caller's (`WrapOptions.cost`) over it, dimension by dimension. */
function costOf(profile: SdkProfile, own: CostFn | undefined): Settings['cost'] {
  const theirs = profile.cost?.bind(profile);
  if (!own) return theirs ?? (() => undefined);
  return (args, method) => {
    const base = theirs?.(args, method);
    const mine = own(args, method.path);
    return mine === undefined ? base : { ...base, ...mine };
  };
}

/** Checks the options; each error names the option (`wrapClient.methods`). */
export function resolveSettings(policy: Policy, options: WrapOptions, client: object): Settings {
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: wrapClient(client, policy) needs a policy from createPolicy()');
  checkShape(options, 'wrapClient', SHAPE);
  const profile = options.profile ?? profileOf(client);
  const args = options.args === false ? PASS : (options.args ?? profile.args ?? PASS);
  const streamMethods = options.streamMethods;
  return {
    policy,
    profile,
    methods: options.methods ?? (() => true),
    streams: streamMethods
      ? (_args, method) => streamMethods(method.path)
      : (profile.streams?.bind(profile) ?? (() => false)),
    args,
    events: options.streamEvents ?? profile.events ?? NO_EVENTS,
    usage: options.streamUsage ?? ((event: unknown) => policy.usage(event)),
    endpoint: profile.endpoint?.bind(profile) ?? (() => undefined),
    request: profile.request?.bind(profile) ?? firstObject,
    cost: costOf(profile, options.cost),
    settle: profile.settle?.bind(profile) ?? awaited,
    // A caller who says which methods to wrap, or where their options go, gets the Proxy over methods.
    core:
      options.args === undefined && options.streamMethods === undefined && options.methods === undefined
        ? profile.core
        : undefined,
    secrets: secretsOf(client),
  };
}
