import type { Policy } from '../../policy/policy.js';
import { HttpError } from './http-error.js';

export { HttpError } from './http-error.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch-compatible function under the policy: every request waits for the limiter, non-2xx
 * responses are classified (retried, or thrown as `FatalError` / `RetriesExhaustedError` whose
 * `cause` is an `HttpError` carrying the response), and `init.signal` (or a `Request`'s own signal)
 * aborts it wherever it is. The request's credential headers (`init.headers`, a `Request`'s
 * headers) are secrets: they never show in steady's errors or events, even echoed in a body.
 *
 * The token cost is estimated from a JSON string body with the preset's `estimate`; JSON
 * responses are read (from a clone) to reconcile it with the usage they report.
 *
 * **Gotcha:** a `Request` or `init.body` that is a one-shot stream cannot be sent twice; pass the
 * body as a string, `Blob`, `ArrayBuffer` or `URLSearchParams` so retries can resend it.
 */
export function steadyFetch(policy: Policy, fetchImpl: FetchLike = globalThis.fetch): FetchLike {
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: steadyFetch(policy) needs a policy from createPolicy()');
  if (typeof fetchImpl !== 'function')
    throw new TypeError('steady: steadyFetch(policy, fetchImpl) needs a fetch function');
  const bodies = new WeakMap<Response, unknown>();

  return (input, init = {}) => {
    const tokens = typeof init.body === 'string' ? policy.estimate(parseJson(init.body)) : undefined;
    return policy.run(
      async ({ signal }) => {
        const request = input instanceof Request ? input.clone() : input;
        const res = await fetchImpl(request, { ...init, signal });
        if (!res.ok) throw new HttpError(res, await res.text().catch(() => ''));
        if (res.headers.get('content-type')?.includes('application/json')) {
          bodies.set(
            res,
            await res
              .clone()
              .json()
              .catch(() => undefined),
          );
        }
        return res;
      },
      {
        signal: init.signal ?? (input instanceof Request ? input.signal : undefined),
        tokens,
        usageOf: (res: Response) => bodies.get(res),
        secrets: [init.headers, input instanceof Request ? input.headers : undefined],
      },
    );
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
