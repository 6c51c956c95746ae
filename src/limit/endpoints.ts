import { invalid, isObject } from '../validate.js';
import { checkLimits } from './check-options.js';
import { CALLS } from './store.js';
import type { Cost, Limits } from './types.js';

/**
 * Limits per API endpoint (Cohere limits chat, embed and rerank separately). Every endpoint's
 * dimensions go into one ledger under the name `<endpoint>:<dimension>` (`chat:calls`,
 * `embed:inputs`), beside the policy's own `limits`, which every endpoint shares. A call reserves
 * on the shared dimensions and on its own endpoint's; a call with no endpoint, or one not listed,
 * only on the shared ones.
 *
 * A dimension named `<base>/<label>` (`calls/month`) is charged what the call costs on `<base>`:
 * a second window over the same units, e.g. 1,000 calls in 30 days beside 40 calls a minute.
 */

/** `{ chat: { calls: { limit: 40, windowMs: 60_000 } }, rerank: { calls: { limit: 10, windowMs: 60_000 } } }` */
export type EndpointLimits = Readonly<Record<string, Limits>>;

/** The units a dimension counts: `chat:calls/month` → `calls`. */
export function baseDimension(name: string): string {
  const rest = name.slice(name.indexOf(':') + 1); // no colon: indexOf is -1, the whole name
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** Whether `name` counts whole calls (kept on `refund()`, never inflated in flight). */
export function isCallDimension(name: string): boolean {
  return name === CALLS || baseDimension(name) === CALLS;
}

/** Checks `limiter.endpoints` at `path`: an object of endpoint names, each checked like `limits`. */
export function checkEndpoints(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!isObject(value))
    throw invalid(
      path,
      "an object of endpoints' limits such as { chat: { calls: { limit: 40, windowMs: 60_000 } } }",
      value,
    );
  for (const name of Object.keys(value)) {
    if (name === '' || name.includes(':') || name.includes('/'))
      throw invalid(`${path}[${JSON.stringify(name)}]`, "an endpoint's name without ':' or '/'", name);
    checkLimits(value[name], `${path}.${name}`);
  }
}

/** Which ledger dimension is charged which units of a call's cost. */
type Charges = readonly (readonly [key: string, base: string])[];

/** Routes a call's cost (and its reported usage) onto the shared and its endpoint's dimensions. */
export class EndpointRouter {
  /** Every dimension of the ledger: the shared ones, then `<endpoint>:<dimension>`. */
  readonly limits: Limits;
  readonly #shared: Charges;
  readonly #own = new Map<string, Charges>();

  constructor(shared: Limits, endpoints: EndpointLimits = {}) {
    const all: Record<string, Limits[string]> = { ...shared };
    this.#shared = Object.keys(shared)
      .filter((k) => k !== baseDimension(k))
      .map((k) => [k, baseDimension(k)] as const);
    for (const [endpoint, limits] of Object.entries(endpoints)) {
      const charges: [string, string][] = [];
      for (const [dim, spec] of Object.entries(limits)) {
        const key = `${endpoint}:${dim}`;
        all[key] = spec;
        charges.push([key, baseDimension(dim)]);
      }
      this.#own.set(endpoint, charges);
    }
    this.limits = all;
  }

  /** Whether anything needs routing: some endpoint, or a shared `<base>/<label>` dimension. */
  get active(): boolean {
    return this.#own.size > 0 || this.#shared.length > 0;
  }

  /** `cost` (a call's cost on base dimensions) with what it charges every routed dimension. */
  cost(endpoint: string | undefined, cost: Cost): Cost {
    return this.#route(endpoint, cost, true);
  }

  /** Reported usage on base dimensions (`{ tokens: 1_830 }`), copied to the routed dimensions. */
  usage<U extends Partial<Record<string, number>> | undefined>(endpoint: string | undefined, actual: U): U {
    if (!actual) return actual;
    return this.#route(endpoint, actual as Cost, false) as U;
  }

  #route(endpoint: string | undefined, from: Partial<Record<string, number>>, drop0: boolean): Cost {
    const own = endpoint === undefined ? undefined : this.#own.get(endpoint);
    const out: Record<string, number> = { ...from } as Record<string, number>;
    for (const charges of own ? [this.#shared, own] : [this.#shared]) {
      for (const [key, base] of charges) {
        const v = from[base];
        if (v !== undefined && !(drop0 && v === 0)) out[key] = v;
      }
    }
    return out;
  }
}
