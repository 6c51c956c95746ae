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

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/**
 * An `embed` call's `{ inputs }`: its `texts`, `images` and (v2) `inputs` together, what Cohere's
 * 2,000 inputs a minute counts (see `cohere({ plan })`); undefined for other calls.
 */
function costOf(args: readonly unknown[], method: MethodInfo): { inputs: number } | undefined {
  if (endpointOf(args, method) !== 'embed') return undefined;
  const r = args[0] as Record<string, unknown> | null | undefined;
  if (r === null || typeof r !== 'object') return undefined;
  const inputs = count(r.texts) + count(r.images) + count(r.inputs);
  return inputs > 0 ? { inputs } : undefined;
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
 * (`datasets`); an `embed` call costs its inputs (`{ inputs }`, see `costOf`). Also the profile of a client no other profile matches: its arguments pass through
 * untouched unless a method declares `requestOptions`.
 */
export const cohereProfile: SdkProfile = Object.freeze({
  name: 'cohere-ai',
  matches: isCohere,
  args: cohereArgs,
  streams: (_args: readonly unknown[], { path }: MethodInfo) => /Stream$/.test(path[path.length - 1] ?? ''),
  events: cohereStreamEvents,
  endpoint: endpointOf,
  cost: costOf,
  settle,
});
