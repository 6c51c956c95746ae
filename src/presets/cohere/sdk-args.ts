import type { CallArgs, MethodInfo } from '../sdk-profile.js';
import { isPlainObject, isSignal } from '../sdk-values.js';

/** Finds `requestOptions` in a function's source: `chat(request, requestOptions) {`, `list(request = {}, requestOptions)`. */
function paramNames(fn: Function): string[] | undefined {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return undefined;
  }
  if (source.includes('[native code]')) return undefined;
  const list = /^[^(]*\(([^)]*)\)/.exec(source)?.[1];
  if (list === undefined) return undefined;
  return list.split(',').map((p) => /^\s*(?:\.\.\.)?([\w$]+)/.exec(p)?.[1] ?? '');
}

const OWNERS = new WeakMap<object, boolean>();
const INDEXES = new WeakMap<Function, number>();

/** True when some method of `owner` (own or inherited) declares a `requestOptions` parameter. */
export function isGeneratedClient(owner: object): boolean {
  let known = OWNERS.get(owner);
  if (known !== undefined) return known;
  known = false;
  for (let o: object | null = owner; o && o !== Object.prototype && !known; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (typeof d?.value === 'function' && paramNames(d.value)?.includes('requestOptions')) {
        known = true;
        break;
      }
    }
  }
  OWNERS.set(owner, known);
  return known;
}

/** The position of a method's `requestOptions` argument, or -1. */
function optionsIndex({ fn, owner }: MethodInfo): number {
  let i = INDEXES.get(fn);
  if (i !== undefined) return i;
  const names = paramNames(fn);
  if (names) i = names.indexOf('requestOptions');
  else i = fn.name.startsWith('bound ') && fn.length > 0 && isGeneratedClient(owner) ? fn.length - 1 : -1;
  INDEXES.set(fn, i);
  return i;
}

/**
 * The cohere-ai SDK's calling convention (and that of other Fern-generated SDKs): each method's
 * last parameter is `requestOptions` (`chat(request, requestOptions)`, `datasets.get(id,
 * requestOptions)`, `checkApiKey(requestOptions)`). Each attempt gets a copy of it with
 * `maxRetries: 0` (the SDK's own retries of 408/429/5xx would multiply the policy's attempts) and
 * `abortSignal` set to the attempt's signal; the caller's own `abortSignal` there aborts the whole
 * call instead. Its other fields (`timeoutInSeconds`, `headers`, …) pass through.
 *
 * The argument is found by name in the method's source. A bound method hides its source
 * (`CohereClientV2` binds its methods): then it is the last declared parameter (`fn.length - 1`),
 * but only on an object that has some other method with a `requestOptions` parameter. Methods
 * without one, and arguments in that place that are not plain objects, are left untouched: a
 * generic client passes through unchanged.
 */
export const cohereArgs: CallArgs = Object.freeze({
  signalOf(args: readonly unknown[], method: MethodInfo): AbortSignal | undefined {
    const i = optionsIndex(method);
    const options = i < 0 ? undefined : args[i];
    const signal = isPlainObject(options) ? options.abortSignal : undefined;
    return isSignal(signal) ? signal : undefined;
  },
  forAttempt(args: readonly unknown[], signal: AbortSignal, method: MethodInfo): unknown[] {
    const out = [...args];
    const i = optionsIndex(method);
    if (i < 0) return out;
    const given = args[i];
    if (given !== undefined && !isPlainObject(given)) return out;
    while (out.length < i) out.push(undefined);
    out[i] = { ...given, maxRetries: 0, abortSignal: signal };
    return out;
  },
});
