import type { AttemptContext, RunOptions } from '../../policy/options.js';
import type { WithRawResponse } from '../../presets/sdk-profile.js';
import { follow } from './follow.js';
import type { MethodInfo, Settings } from './options.js';
import type { ReadMode } from './response-promise.js';
import { openStream } from './stream.js';

/** The token cost of a call, from its request body (an id string is not one). */
export function tokensOf(
  settings: Settings,
  args: readonly unknown[],
  method: MethodInfo,
): number | undefined {
  const request = settings.request(args, method);
  return request !== null && typeof request === 'object' ? settings.policy.estimate(request) : undefined;
}

/** One plain attempt: the original with a fresh signal that follows the attempt's (see `CallArgs` and `follow`). */
async function attempt(
  settings: Settings,
  method: MethodInfo,
  args: readonly unknown[],
  mode: ReadMode,
  { signal }: AttemptContext,
): Promise<WithRawResponse> {
  const controller = new AbortController();
  const unfollow = follow(signal, controller);
  try {
    const result = method.fn.apply(method.owner, settings.args.forAttempt(args, controller.signal, method));
    if (mode === 'response' && settings.core) {
      return { data: undefined, rawResponse: await settings.core.response(result) };
    }
    return await settings.settle(result, method);
  } finally {
    unfollow();
  }
}

/**
 * One call under the policy: each attempt calls the original; the result's usage settles the
 * token reservation. A call that streams is retried until its first event (see `openStream`). The
 * call names its endpoint (`RunOptions.endpoint`) as the profile reads it.
 */
export function runCall(
  settings: Settings,
  method: MethodInfo,
  args: readonly unknown[],
  mode: ReadMode,
): Promise<WithRawResponse> {
  const { policy, args: callArgs } = settings;
  const signal = callArgs.signalOf(args, method);
  const options: RunOptions = {
    tokens: tokensOf(settings, args, method),
    cost: settings.cost(args, method),
    signal,
    endpoint: settings.endpoint(args, method),
    usageOf: (r: WithRawResponse) => r.data,
    secrets: settings.secrets,
  };
  if (mode === 'data' && settings.streams(args, method)) {
    return policy.run((ctx) => openStream(settings, method, args, ctx, signal), options);
  }
  return policy.run((ctx) => attempt(settings, method, args, mode, ctx), options);
}
