import got, {
  type CancelableRequest,
  CancelError,
  HTTPError,
  type Options,
  parseBody,
  type Response,
  type ResponseType,
} from 'got';
import { rawCause } from '../../errors/raw.js';
import type { Policy } from '../../policy/policy.js';
import { attemptOptions, callerSignalOf, follow, jsonOf, tokensOf } from './shared.js';

type Listener = (...args: any[]) => void;

/**
 * One promise-API call under the policy. Every attempt is a fresh got request built from a clone of
 * the call's options (got cannot send one Request twice), so the promise got hands back is ours,
 * and we give it got's promise methods: `.json()`, `.text()` and `.buffer()` parse the response of
 * the attempt that won; `.on()` reaches every attempt's request; `.cancel()` aborts the whole call.
 */
export function promiseUnderPolicy(policy: Policy, options: Options): CancelableRequest<unknown> {
  const { resolveBodyOnly, throwHttpErrors } = options;
  const { controller, unlink } = follow(callerSignalOf(options));
  const listeners: [string, Listener][] = [];
  let current: CancelableRequest<Response> | undefined;
  let last: Response | undefined;

  const run = policy.run(
    async ({ signal }) => {
      // `.json()` and `.on()` are called in the tick got() returns: let them land before the first attempt.
      await undefined;
      const request = got(
        undefined,
        undefined,
        attemptOptions(options, signal),
      ) as CancelableRequest<Response>;
      current = request;
      for (const [event, fn] of listeners) request.on(event as 'request', fn);
      last = await request;
      return last;
    },
    { signal: controller.signal, tokens: tokensOf(policy, options), usageOf: jsonOf },
  );

  const result = run
    .then(
      (response) => (resolveBodyOnly ? response.body : response),
      (error: unknown) => {
        // With `throwHttpErrors: false`, got retries and then returns the last response (the raw
        // one: it is the caller's own answer, not something steady shows): so do we.
        const cause = rawCause(error);
        if (throwHttpErrors || !(cause instanceof HTTPError)) throw error;
        last = cause.response;
        return resolveBodyOnly ? last.body : last;
      },
    )
    .finally(unlink);

  const decorate = <T>(promise: Promise<T>): CancelableRequest<any> => {
    const shortcut = (type: ResponseType) =>
      decorate(promise.then(() => parseBody(last!, type, options.parseJson, options.encoding)));
    const methods = {
      json: () => {
        if (!('accept' in options.headers)) options.headers.accept = 'application/json';
        return shortcut('json');
      },
      text: () => shortcut('text'),
      buffer: () => shortcut('buffer'),
      on: (event: string, fn: Listener) => {
        listeners.push([event, fn]);
        current?.on(event as 'request', fn);
        return out;
      },
      off: (event: string, fn: Listener) => {
        const i = listeners.findIndex(([e, f]) => e === event && f === fn);
        if (i >= 0) listeners.splice(i, 1);
        current?.off(event as 'request', fn);
        return out;
      },
    };
    const out = Object.assign(promise, methods);
    // got assigns its own `cancel` (for the Request it never sends) after the handler returns: ignore that.
    Object.defineProperty(out, 'cancel', {
      get: () => () => controller.abort(new CancelError(undefined as never)),
      set: () => {},
      configurable: true,
    });
    return out as unknown as CancelableRequest<any>;
  };
  return decorate(result);
}
