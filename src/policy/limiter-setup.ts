import type { Clock } from '../clock.js';
import type { Emitter } from '../hooks/emitter.js';
import { buildLimiter } from '../limit/create-limiter.js';
import { EndpointRouter } from '../limit/endpoints.js';
import { QueuedLimiter } from '../limit/limiter.js';
import type { LimiterOptions } from '../limit/options.js';
import { ServerWatch } from '../limit/server-watch.js';
import type { Limiter, Limits } from '../limit/types.js';
import { checkedLimiter } from './admission.js';
import type { PolicyLimiterOptions, PolicyOptions } from './options.js';

/** The policy's limiter, its router of per-endpoint limits and its watch of the server's headers. */
export interface LimiterSetup {
  limiter: Limiter | undefined;
  route: EndpointRouter | undefined;
  watch: ServerWatch | undefined;
}

/**
 * Builds the limiter from `limits`, the preset's and `limiter.endpoints`, and the watch that reads
 * the server's rate-limit headers (`limiter.fromHeaders`: on when the preset has a reader).
 */
export function setupLimiter(options: PolicyOptions, clock: Clock, emitter: Emitter): LimiterSetup {
  const lim = options.limiter;
  if (lim && 'acquire' in lim) {
    // steady's own limiter keeps its contract; only one of your own is checked on use.
    return {
      limiter: lim instanceof QueuedLimiter ? lim : checkedLimiter(lim),
      route: undefined,
      watch: undefined,
    };
  }
  const { fromHeaders, endpoints: own, ...rest } = (lim ?? {}) as PolicyLimiterOptions;
  const shared: Limits = options.limits ?? {};
  const endpoints = { ...options.endpoints, ...own };
  const router = new EndpointRouter(shared, endpoints);
  const route = router.active ? router : undefined;
  const build = (limits: Limits) => buildLimiter({ ...(rest as LimiterOptions), limits, clock });
  const initial = router.limits;
  const limiter = Object.keys(initial).length > 0 ? build(initial) : undefined;
  const reader = options.serverLimits;
  let watch: ServerWatch | undefined;
  if (reader && fromHeaders !== false) {
    // Learning rebuilds the default store; a store of your own keeps the limits it was bound with.
    const rebuild = rest.store ? undefined : (learned: Limits) => build({ ...initial, ...learned });
    watch = new ServerWatch(reader, shared, rebuild, clock, emitter);
  }
  return { limiter, route, watch };
}
