import { runCall } from './call.js';
import type { Settings } from './options.js';
import { ResponsePromise } from './response-promise.js';

type Fns = Record<string, unknown>;

function define(target: object, name: string, value: Function): void {
  Object.defineProperty(value, 'name', { value: name });
  Object.defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
}

/**
 * A Stainless client under the policy: its core functions (`request`, `requestAPIList`), which every
 * call of every resource, stream helper and page goes through, are replaced on `copy` (a private
 * copy of the caller's client: the caller's own stays as it was) by ones that run each call under
 * the policy. So `chat.completions.create`, `messages.stream()`, `chat.completions.stream()`,
 * `parse()`, `for await` over a list and its next pages are all retried, rate-limited and
 * abortable, and their results keep `.withResponse()`, `.asResponse()` and `._thenUnwrap()`.
 * A function that returns a new client (`withOptions`) returns one wrapped the same way.
 */
export function wrapCore(copy: object, settings: Settings): object {
  const core = settings.core!;
  const fns = copy as Fns;
  for (const [name, index] of Object.entries(core.functions)) {
    const fn = fns[name];
    if (typeof fn !== 'function') continue;
    const method = { fn, owner: copy, path: [name] };
    define(copy, name, (...args: unknown[]) => {
      const start = (mode: 'data' | 'response') =>
        Promise.resolve(args[index]).then((options) => {
          const resolved = [...args];
          resolved[index] = options;
          return runCall(settings, method, resolved, mode).then((r) => ({ ...r, options }));
        });
      return new ResponsePromise(start, { deferred: true, withResponse: core.withResponse });
    });
  }
  for (const name of core.clients) {
    const fn = fns[name];
    if (typeof fn !== 'function') continue;
    define(copy, name, (...args: unknown[]) => {
      const next: unknown = fn.apply(copy, args);
      return next !== null && typeof next === 'object' ? wrapCore(next, settings) : next;
    });
  }
  return copy;
}
