import type { MethodInfo, SdkProfile, WithRawResponse } from '../sdk-profile.js';
import { cohereArgs, isGeneratedClient } from './sdk-args.js';
import { cohereStreamEvents } from './stream-events.js';

/** `['v2', 'chatStream']` → `'chat'`; `['datasets', 'list']` → `'datasets'`. */
function endpointOf(_args: readonly unknown[], { path }: MethodInfo): string | undefined {
  const names = path[0] === 'v1' || path[0] === 'v2' ? path.slice(1) : path;
  const name = names.length === 1 ? names[0]?.replace(/Stream$/, '') : names[0];
  return name || undefined;
}

/** cohere-ai's `HttpResponsePromise` via `.withRawResponse()`; anything else awaited. */
async function settle(result: unknown): Promise<WithRawResponse> {
  const withRaw = (result as { withRawResponse?: unknown } | null)?.withRawResponse;
  if (typeof withRaw === 'function') return (await withRaw.call(result)) as WithRawResponse;
  return { data: await result, rawResponse: undefined };
}

function isCohere(client: object): boolean {
  for (let o: object | null = client; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (/^Cohere/.test((o as { constructor?: { name?: string } }).constructor?.name ?? '')) return true;
  }
  return isGeneratedClient(client);
}

/**
 * The cohere-ai SDK (and other Fern-generated SDKs): `{ maxRetries: 0, abortSignal }` merged into
 * each method's `requestOptions` (see `cohereArgs`); methods named `…Stream` stream, read by
 * `cohereStreamEvents` (v2 `message-end`, v1 `stream-end`); each call's endpoint is its method
 * (`chat`, `embed`, `rerank`, …; `chatStream` is `chat`) or, for a nested resource, the resource
 * (`datasets`). Also the profile of a client no other profile matches: its arguments pass through
 * untouched unless a method declares `requestOptions`.
 */
export const cohereProfile: SdkProfile = Object.freeze({
  name: 'cohere-ai',
  matches: isCohere,
  args: cohereArgs,
  streams: (_args: readonly unknown[], { path }: MethodInfo) => /Stream$/.test(path[path.length - 1] ?? ''),
  events: cohereStreamEvents,
  endpoint: endpointOf,
  settle,
});
