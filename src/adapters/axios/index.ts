import type { AxiosInstance } from 'axios';
import type { Policy } from '../../policy/policy.js';
import { adapterUnderPolicy, baseAdapter } from './adapter.js';

/** Instances with a policy attached, and how to detach it. */
const attached = new WeakMap<AxiosInstance, () => void>();

/**
 * Puts every request of an axios instance under the policy: the limiter, the breaker,
 * classification of what axios rejects with (`AxiosError` with a response, `ECONNRESET`,
 * `ECONNABORTED` / `ETIMEDOUT` from `timeout`) and the policy's retries and waits. Returns a
 * function that detaches the policy.
 *
 * ```ts
 * const api = axios.create({ baseURL: 'https://api.cohere.com', headers: { authorization: `Bearer ${key}` } });
 * attachPolicy(api, createPolicy({ ...cohere({ plan: 'trial' }) }));
 * const { data } = await api.post('/v2/chat', { model, messages });
 * ```
 *
 * How: a request interceptor replaces the request's adapter (resolved with `axios.getAdapter`, so
 * `xhr`, `http`, `fetch` or your own) with one that runs it under `policy.run`. One attempt is one
 * HTTP exchange by the real adapter, with the same config: the body axios serialised once is sent
 * again as is, and request interceptors and `transformRequest` run once per call, not per attempt.
 * The adapter is the layer where axios turns a status into an `AxiosError` (`settle` with
 * `validateStatus`), so the policy sees exactly what axios would reject with; a response
 * interceptor would only see the end of axios's own chain and could not re-send the exchange.
 *
 * Tokens are estimated from `config.data` with the preset's `estimate`; usage is read from the
 * response body.
 *
 * **Gotchas**
 * - A caller's abort (`config.signal`) rejects with the signal's own reason, as everywhere in
 *   steady, not with axios's `CanceledError`: `axios.isCancel(err)` is false; test
 *   `signal.aborted` or `err === signal.reason`.
 * - Every 4xx/5xx goes to the policy, whatever `validateStatus` says; when the policy gives up on
 *   a status your `validateStatus` accepts, you get the response instead of an error, but only
 *   when its body was read whole.
 * - `data` is only ever a whole body: a connection dropped after a 2xx head (axios's "stream has
 *   been aborted") is a failed attempt, retried as `network`.
 * - `responseType: 'stream'`: the attempt reads the body up to its first event (an event stream,
 *   `text/event-stream` or JSON lines, event by event; any other body chunk by chunk), so a drop or
 *   an in-band error event before it is retried. `data` is then a stream of the same kind (a Node
 *   `Readable`, or a web `ReadableStream` from the fetch adapter) with the rest of that attempt; a
 *   failure after the first event errors it with `StreamInterruptedError` (`chunksDelivered`),
 *   never a raw socket error, never another attempt's bytes. Read it to its end or destroy it.
 * - Failures reject with the policy's errors (`FatalError`, `RetriesExhaustedError`, …) whose
 *   `cause` is the `AxiosError` (a redacted copy: `rawCause(err)` is the original), with its
 *   `response.data` parsed as usual.
 * - A body that is a stream cannot be sent twice: pass a string, an object or a Buffer.
 * - Attaching twice to the same instance throws: detach first. The policy is not inherited by
 *   instances made later with `axios.create()`.
 */
export function attachPolicy(instance: AxiosInstance, policy: Policy): () => void {
  if (typeof instance?.interceptors?.request?.use !== 'function') {
    throw new TypeError('steady: attachPolicy(instance, policy) needs an axios instance (axios.create())');
  }
  if (typeof policy?.run !== 'function')
    throw new TypeError('steady: attachPolicy(instance, policy) needs a policy from createPolicy()');
  if (attached.has(instance)) {
    throw new Error(
      'steady: attachPolicy(): this axios instance already has a policy; call the function the first attachPolicy() returned to detach it',
    );
  }
  const id = instance.interceptors.request.use((config) => {
    const base = baseAdapter(config, instance.defaults.adapter);
    const callerSignal = config.signal as AbortSignal | undefined;
    config.signal = undefined;
    config.adapter = adapterUnderPolicy(policy, base, callerSignal);
    return config;
  });
  const detach = () => {
    if (attached.get(instance) !== detach) return;
    instance.interceptors.request.eject(id);
    attached.delete(instance);
  };
  attached.set(instance, detach);
  return detach;
}
