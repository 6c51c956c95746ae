import type { Clock } from '../clock.js';
import { readCapped } from './read-capped.js';
import { get, isObject } from './safe.js';

/**
 * The start of the bodies of fetch `Response`s that errors carry unread (ky's `HTTPError`), read
 * once by the policy before it classifies the error ({@link readErrorBody}) and found again by
 * `toOutcome` ({@link responseText}). Keyed by the Response itself: nothing is written on the
 * caller's error, and a Response that is dropped takes its text with it.
 */
const texts = new WeakMap<object, string>();

/** The text read from `response` by {@link readErrorBody}, if it was. */
export function responseText(response: unknown): string | undefined {
  return isObject(response) ? texts.get(response) : undefined;
}

/**
 * The fetch `Response` of `error` when its body is still unread and nothing else of the error
 * carries one (`body`, `data`): ky's `HTTPError`, or any error holding a non-2xx Response. steady's
 * own `HttpError` carries its body already and is left alone.
 */
export function unreadResponse(error: unknown): Response | undefined {
  if (typeof Response === 'undefined' || !isObject(error)) return undefined;
  const response = get(error, 'response');
  if (!(response instanceof Response) || texts.has(response)) return undefined;
  if (response.bodyUsed || response.body === null || response.ok) return undefined;
  if (get(error, 'body') !== undefined || get(error, 'data') !== undefined) return undefined;
  return response;
}

/**
 * Reads the start of the body of `error`'s unread Response (see {@link unreadResponse}), at most
 * `maxBytes`, from a clone: the Response itself stays unread, so the caller can still
 * `await error.response.json()`. Stops when `signal` aborts or `timeoutMs` passes on `clock`
 * (then the text is what arrived before). Never rejects.
 */
export async function readErrorBody(
  error: unknown,
  maxBytes: number,
  clock: Clock,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  const response = unreadResponse(error);
  if (!response) return;
  let clone: Response;
  try {
    clone = response.clone();
  } catch {
    return;
  }
  const stop = new AbortController();
  const abort = () => stop.abort();
  signal?.addEventListener('abort', abort);
  if (signal?.aborted) stop.abort();
  const timer = Number.isFinite(timeoutMs) ? clock.setTimeout(abort, Math.max(0, timeoutMs)) : undefined;
  try {
    texts.set(response, await readCapped(clone, maxBytes, stop.signal));
  } finally {
    signal?.removeEventListener('abort', abort);
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}
