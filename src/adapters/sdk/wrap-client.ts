import type { Policy } from '../../policy/policy.js';
import { runCall } from './call.js';
import { wrapCore } from './core.js';
import { type MethodInfo, resolveSettings, type Settings, type WrapOptions } from './options.js';
import { ResponsePromise } from './response-promise.js';

/** Objects that are values, not sub-clients: never proxied. */
const VALUE_TYPES: readonly Function[] = [
  Date,
  RegExp,
  Map,
  Set,
  WeakMap,
  WeakSet,
  Error,
  ArrayBuffer,
  Promise,
];

function isSubClient(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  if (typeof (v as { then?: unknown }).then === 'function') return false;
  if (typeof EventTarget !== 'undefined' && v instanceof EventTarget) return false;
  return !VALUE_TYPES.some((T) => v instanceof T);
}

function isMethodName(key: string, value: Function): boolean {
  if (key === 'then' || key === 'constructor' || key.startsWith('_')) return false;
  if ((Object.prototype as Record<string, unknown>)[key] === value) return false;
  try {
    return !/^class\b/.test(Function.prototype.toString.call(value));
  } catch {
    return true;
  }
}

/** A non-configurable, read-only property: a Proxy must return its value unchanged. */
function isFixed(target: object, key: string): boolean {
  const d = Object.getOwnPropertyDescriptor(target, key);
  return !!d && d.configurable === false && d.writable === false;
}

interface Wrapping {
  settings: Settings;
  proxies: WeakMap<object, object>;
}

function proxyOf(target: object, path: readonly string[], w: Wrapping): object {
  const cached = w.proxies.get(target);
  if (cached) return cached;
  const methods = new Map<string, { fn: Function; wrapped: Function }>();
  const proxy = new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key, t);
      if (typeof key !== 'string' || isFixed(t, key)) return value;
      const sub = [...path, key];
      if (typeof value === 'function') {
        const entry = methods.get(key);
        if (entry?.fn === value) return entry.wrapped;
        if (!isMethodName(key, value) || !w.settings.methods(sub)) return value;
        const info: MethodInfo = { fn: value, owner: t, path: sub };
        const { settings } = w;
        const wrapped = (...args: unknown[]) =>
          new ResponsePromise((mode) => runCall(settings, info, args, mode));
        Object.defineProperty(wrapped, 'name', { value: value.name });
        methods.set(key, { fn: value, wrapped });
        return wrapped;
      }
      return isSubClient(value) ? proxyOf(value, sub, w) : value;
    },
  });
  w.proxies.set(target, proxy);
  return proxy;
}

/**
 * The same client, of the same type, with every async method under the policy, nested ones too
 * (`client.chat`, `client.v2.chat`, `client.datasets.list`): each call waits for the limiter,
 * retries what the policy retries, and settles its token reservation with the usage the response
 * reports. Methods are called on the original object, so the SDK's internals work unchanged;
 * wrapped sub-objects and methods are created once and keep their identity.
 *
 * For the cohere-ai SDK (the defaults): the SDK's own retries are turned off (`maxRetries: 0`) and
 * each attempt gets its own `abortSignal`; your `abortSignal` in the request options aborts the
 * whole call. Stream methods (`chatStream`) are retried until their first event arrives, never
 * after: see `StreamInterruptedError`. A wrapped method returns a promise with the SDK's
 * `.withRawResponse()`.
 *
 * @example
 * const co = wrapClient(new CohereClientV2({ token }), createPolicy({ ...cohere({ plan: 'trial' }) }));
 * const reply = await co.chat({ model: 'command-a-03-2025', messages }); // retried, rate-limited
 * for await (const event of await co.chatStream({ model, messages })) print(event);
 *
 * **Gotchas**: every function is assumed async (exclude synchronous ones with `methods`). A
 * generic client's arguments pass through untouched; tell steady where its signal goes with
 * `args`. A stream must be read to its end, left with `break` / `return()` (even before its first
 * `next()`) or aborted by the caller's signal: one simply dropped keeps its request and its
 * reservation open. `retry.attemptTimeoutMs` bounds the wait for a stream's first event, not the
 * whole stream.
 */
export function wrapClient<C extends object>(client: C, policy: Policy, options: WrapOptions = {}): C {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
    throw new TypeError('steady: wrapClient(client, policy) needs a client object');
  }
  const settings = resolveSettings(policy, options, client);
  const copy = settings.core?.copy(client);
  if (copy) return wrapCore(copy, settings) as C;
  return proxyOf(client, [], { settings, proxies: new WeakMap() }) as C;
}
