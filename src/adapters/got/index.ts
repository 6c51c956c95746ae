import type { ExtendOptions, HandlerFunction } from 'got';
import type { Policy } from '../../policy/policy.js';
import { promiseUnderPolicy } from './promise.js';
import { isInvalid, onInit } from './shared.js';
import { streamUnderPolicy } from './stream.js';

/**
 * Options for `got.extend(...)`: every request the extended instance makes goes through
 * `policy.run` — the limiter, the breaker, classification of what got throws (`HTTPError`,
 * `TimeoutError`, `RequestError` such as `ECONNRESET`) and the policy's retries and waits.
 *
 * ```ts
 * import got from 'got';
 * import { cohere, createPolicy } from 'steady';
 * import { gotPolicy } from 'steady/got';
 *
 * const policy = createPolicy({ ...cohere({ plan: 'trial' }) });
 * const api = got.extend({ prefixUrl: 'https://api.cohere.com', headers: { authorization: `Bearer ${key}` } }, gotPolicy(policy));
 * const reply = await api.post('v2/chat', { json: { model, messages } }).json();
 * ```
 *
 * How: a got handler runs the call under `policy.run`, and each attempt is a fresh got request
 * built from a clone of the call's options (got cannot send one `Request` twice, so retrying by
 * calling `next` again is not possible). Each attempt has got's retry off (`retry.limit` 0: no
 * doubled retries), its own `signal` from the policy (the caller's `signal` aborts the call
 * wherever it is and rejects with the signal's reason) and got's per-request `timeout`, whose
 * `TimeoutError` is classified `timeout` and retried.
 *
 * Tokens are estimated from the `json` option (or a JSON string body) with the preset's
 * `estimate`, and reconciled from the JSON response body with its usage reader.
 *
 * **Gotchas**
 * - Put `gotPolicy` last in `got.extend(...)`: a handler added after it is not called, since the
 *   attempts are sent by the policy, not by `next`. got's `beforeRetry` hooks never run (listen to
 *   `policy.on('retry')`); other hooks run on every attempt.
 * - `throwHttpErrors: false` still lets the policy retry 429s and 5xx; when it gives up on an HTTP
 *   error you get that response, as got itself does.
 * - A body passed as a stream cannot be sent twice: pass `json`, `form`, a string or a Buffer.
 * - The promise keeps got's `.json()`, `.text()`, `.buffer()` (they parse the response of the
 *   attempt that succeeded), `.on()` (hears every attempt) and `.cancel()` (aborts the whole call).
 * - A promise call resolves only with a whole body: a connection dropped after a 2xx head (got's
 *   `ReadError`, also a body shorter than its `content-length`) is a failed attempt, retried as
 *   `network`.
 * - `got.stream()`: the limiter, classification and retries cover everything up to the body's
 *   first event (an error status with its Retry-After, a reset or timeout before the head, a drop
 *   after a 2xx head but before the first event, or for an event stream an in-band error event
 *   before it). An event stream (`text/event-stream`, JSON lines) is read event by event; any
 *   other body chunk by chunk. From the first event on the body is yours: a failure destroys the
 *   stream with `StreamInterruptedError` (`chunksDelivered`), never a raw `ReadError`, and is not
 *   retried, so two attempts' bytes are never glued together. The reservation is settled when the
 *   stream is over, with the usage its end event reports. The stream returned is a `Readable`
 *   carrying got's events (`response` and `downloadProgress` of the attempt that won; `request`,
 *   `redirect` and `uploadProgress` of every attempt); the body must come from `json`, `form` or
 *   `body`, not be piped in. Read it to its end or destroy it: one left unread keeps its request
 *   open.
 */
export function gotPolicy(policy: Policy): ExtendOptions {
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: gotPolicy(policy) needs a policy from createPolicy()');
  const handler = ((options, next) => {
    // Invalid options: got reports the error when the request is flushed, so let it.
    if (isInvalid(options)) return next(options);
    return options.isStream ? streamUnderPolicy(policy, options) : promiseUnderPolicy(policy, options);
  }) as HandlerFunction;
  return { retry: { limit: 0 }, hooks: { init: [onInit] }, handlers: [handler] };
}
