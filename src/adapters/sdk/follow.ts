import { abortReason } from '../../clock.js';

/**
 * Aborts `controller` when `signal` does; returns the function that stops following it.
 *
 * Each attempt hands the client a fresh signal that follows the attempt's: cohere-ai adds an abort
 * listener to the signal it is given and removes it only if that signal aborts, so a long-lived
 * signal (the caller's, or the policy's shared never-aborting one) would collect one listener per
 * request.
 */
export function follow(signal: AbortSignal, controller: AbortController): () => void {
  const onAbort = () => controller.abort(abortReason(signal));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
