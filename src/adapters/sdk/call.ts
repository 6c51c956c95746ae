import type { AttemptContext } from '../../policy/options.js';
import { follow } from './follow.js';
import type { MethodInfo, Settings } from './options.js';
import { ResponsePromise, toRaw } from './response-promise.js';

/** The token cost of a call, from its first argument when that is a request body (an id string is not). */
export function tokensOf(settings: Settings, args: readonly unknown[]): number | undefined {
  const request = args[0];
  return request !== null && typeof request === 'object' ? settings.policy.estimate(request) : undefined;
}

/**
 * A method under the policy: each attempt calls the original with a fresh signal that follows the
 * attempt's (see `CallArgs` and `follow`), the result's usage settles the token reservation, and the caller gets a
 * `ResponsePromise` of the data.
 */
export function wrapMethod(
  settings: Settings,
  method: MethodInfo,
): (...args: unknown[]) => ResponsePromise<unknown> {
  const { policy, args: callArgs } = settings;
  const { fn, owner } = method;
  return (...args) => {
    const attempt = async ({ signal }: AttemptContext) => {
      const controller = new AbortController();
      const unfollow = follow(signal, controller);
      try {
        return await toRaw(fn.apply(owner, callArgs.forAttempt(args, controller.signal, method)));
      } finally {
        unfollow();
      }
    };
    const inner = policy.run(attempt, {
      tokens: tokensOf(settings, args),
      signal: callArgs.signalOf(args, method),
      usageOf: (r: { data: unknown }) => r.data,
      secrets: settings.secrets,
    });
    return new ResponsePromise(inner);
  };
}
