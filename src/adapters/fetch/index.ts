import { readCapped } from '../../classify/read-capped.js';
import type { Policy } from '../../policy/policy.js';
import { follow } from '../sdk/follow.js';
import { eventFraming } from '../shared/frames.js';
import { guardBody, toWebStream } from '../shared/guarded-body.js';
import { HttpError } from './http-error.js';
import { checkLength, rebuild } from './whole-response.js';

export { HttpError } from './http-error.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch-compatible function under the policy: every request waits for the limiter, non-2xx
 * responses are classified (retried, or thrown as `FatalError` / `RetriesExhaustedError` whose
 * `cause` is an `HttpError` carrying the response), and `init.signal` (or a `Request`'s own signal)
 * aborts it wherever it is. Of a non-2xx body, at most the policy's `classify.maxBodyBytes`
 * (64 KiB by default) is read; the rest of the stream is cancelled. The request's credential
 * headers (`init.headers`, a `Request`'s headers) are secrets: they never show in steady's errors
 * or events, even echoed in a body.
 *
 * The body of a 2xx is read to its end inside the attempt, so a connection dropped mid-body (or a
 * body shorter than its `content-length`) is a failed attempt, retried as `network`. The `Response`
 * you get is built from those bytes: its body is complete and unread, with the same status, status
 * text and headers, and the same `url`, `redirected` and `type` (also on its `clone()`).
 *
 * An event stream (`content-type: text/event-stream`, or JSON lines: `application/x-ndjson`,
 * `application/stream+json`) is not buffered: the attempt reads it up to its first event, and the
 * body you get streams the rest of that same attempt. A drop, an in-band error event (Cohere's
 * `message-end` with an error) or an empty stream before the first event is retried; after it, the
 * body errors with `StreamInterruptedError` (`chunksDelivered` events), never a raw socket error,
 * never with another attempt's bytes. The reservation is settled when the stream is over, with the
 * usage its end event reports.
 *
 * The token cost is estimated from a JSON string body with the preset's `estimate` (its `model`
 * names the call in steady/otel's spans); a JSON response's usage reconciles it.
 *
 * **Gotchas**
 * - A `Request` or `init.body` that is a one-shot stream cannot be sent twice; pass the body as a
 *   string, `Blob`, `ArrayBuffer` or `URLSearchParams` so retries can resend it.
 * - Every 2xx body that is not an event stream is held in memory before you get the `Response`
 *   (a large download too): that is what makes it whole.
 * - `retry.attemptTimeoutMs` bounds the whole body of a plain response, but only the wait for an
 *   event stream's first event.
 * - An event stream must be read to its end or cancelled (`res.body.cancel()`, or the caller's
 *   signal): one left unread keeps its request and reservation open.
 * - A body that ends when the server closes the connection, with neither `content-length` nor
 *   chunked encoding, cannot be told from a whole one (HTTP/1.0 framing).
 */
export function steadyFetch(policy: Policy, fetchImpl: FetchLike = globalThis.fetch): FetchLike {
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: steadyFetch(policy) needs a policy from createPolicy()');
  if (typeof fetchImpl !== 'function')
    throw new TypeError('steady: steadyFetch(policy, fetchImpl) needs a fetch function');
  const bodies = new WeakMap<Response, unknown>();
  const { maxBodyBytes } = policy.classifySettings;

  return (input, init = {}) => {
    const json = typeof init.body === 'string' ? parseJson(init.body) : undefined;
    const tokens = typeof init.body === 'string' ? policy.estimate(json) : undefined;
    const model = (json as { model?: unknown } | undefined)?.model;
    const callerSignal = init.signal ?? (input instanceof Request ? input.signal : undefined);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    return policy.run(
      async (ctx) => {
        const request = input instanceof Request ? input.clone() : input;
        // The request outlives the attempt when its body is a stream: it gets its own controller.
        const controller = new AbortController();
        const unfollow = follow(ctx.signal, controller);
        try {
          const res = await fetchImpl(request, { ...init, signal: controller.signal });
          if (!res.ok) throw new HttpError(res, await readCapped(res, maxBodyBytes));
          const framing = eventFraming(res.headers.get('content-type'));
          if (framing && res.body) {
            const body = await guardBody({
              policy,
              body: res.body as unknown as AsyncIterable<Uint8Array>,
              framing,
              ctx,
              controller,
              callerSignal,
            });
            return rebuild(res, toWebStream(body));
          }
          // Read to its end inside the attempt: a body cut short is this attempt's failure.
          const bytes = new Uint8Array(await res.arrayBuffer());
          checkLength(res, method, bytes.byteLength);
          const whole = rebuild(res, bytes);
          if (res.headers.get('content-type')?.includes('application/json'))
            bodies.set(whole, parseJson(new TextDecoder().decode(bytes)));
          return whole;
        } finally {
          unfollow();
        }
      },
      {
        signal: callerSignal,
        tokens,
        model: typeof model === 'string' ? model : undefined,
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
