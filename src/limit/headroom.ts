import { CallCost } from './call-cost.js';
import { isCallDimension } from './endpoints.js';
import { CALLS } from './store.js';
import type { Cost, Limits } from './types.js';

/** The factor a dimension starts with, before any usage has been reported. */
const PRIOR = 1.25;
const TOKENS = 'tokens';
/** The factor never goes past this (one absurd report must not starve the limiter). */
const MAX = 2;
/** Each report moves the factor this share of the way back toward 1, unless the report itself is higher. */
const DECAY = 1 / 32;

/**
 * How far real usage runs over the estimates, learned per dimension from committed usage. A call is
 * admitted on its estimate, but while it is in flight the ledger holds estimate × that factor.
 *
 * Why: a server bills real usage when a request arrives; the client learns it only from the
 * response. When many calls are in flight at once (the first burst, or a burst of expiries a window
 * later), estimates that ran low would let the server count more than the client thinks, and the
 * calls admitted next would meet a 429. Holding in-flight calls at the high end of the observed ratio
 * closes that gap; the commit settles to the real usage, so the extra is held only while in flight.
 * Measured: with estimates ±20 %, this takes 429s from 0–4 per 2,000 calls to none, for about one
 * point of token throughput.
 *
 * `calls` is exact (one request is one call) and never inflated. A factor starts at 1.25, then tracks
 * the recent maximum of actual ÷ estimate (a report above it raises it at once; each report moves it
 * 1/32 of the way back toward 1, reaching 1 after about 600 reports), never below 1 nor above 2.
 * At 1, a cost is held as it is: nothing to add, and a commit that reports nothing moves nothing.
 */
export class Headroom {
  readonly #factors = new Map<string, number>();
  /** A frozen cost with nothing uncertain in it (the policy's one-call cost): held as it is, always. */
  #plain: Cost | undefined;
  /** Dimensions that count whole calls (`calls`, `chat:calls`, `calls/month`): exact, never inflated. */
  readonly #calls: ReadonlySet<string>;

  constructor(private readonly limits: Limits) {
    this.#calls = new Set(Object.keys(limits).filter(isCallDimension));
  }

  /** What to hold for `cost` while in flight: every uncertain dimension × its factor, at most its limit. */
  hold(cost: Cost): Cost {
    if (cost === this.#plain) return cost;
    if (cost instanceof CallCost) return this.#holdCall(cost);
    let out: Record<string, number> | undefined;
    for (const d in cost) {
      const spec = this.limits[d];
      const v = cost[d]!;
      if (!spec || v === 0 || this.#calls.has(d)) continue;
      const k = this.#factors.get(d) ?? PRIOR;
      if (k === 1) continue; // usage never ran over: nothing to add
      out ??= { ...cost };
      out[d] = Math.min(spec.limit, v * k);
    }
    if (out) return out;
    if (this.#plain === undefined && Object.isFrozen(cost)) this.#plain = cost;
    return cost;
  }

  /** `hold` for the loop's own cost: only its tokens are uncertain. */
  #holdCall(cost: CallCost): Cost {
    const spec = this.limits[TOKENS];
    const k = this.#factors.get(TOKENS) ?? PRIOR;
    if (!spec || cost.tokens === 0 || k === 1) return cost;
    return new CallCost(Math.min(spec.limit, cost.tokens * k));
  }

  /**
   * Learns from a commit and returns what to settle: the reported usage where it is a finite number
   * ≥ 0, else the estimate (the inflation is never kept).
   */
  settle(cost: Cost, actual: Partial<Record<string, number>>): Cost {
    let reported = false;
    for (const _ in actual) {
      reported = true;
      break;
    }
    if (!reported) {
      // Nothing reported: the estimate stands everywhere (and every factor decays a step).
      for (const d in cost) this.#learn(d, cost[d]!, 1);
      return cost;
    }
    const out: Record<string, number> = {};
    for (const d in actual) out[d] = actual[d]!;
    for (const d in cost) {
      const est = cost[d]!;
      const v = actual[d];
      const ok = typeof v === 'number' && v >= 0 && Number.isFinite(v);
      out[d] = ok ? v : est;
      this.#learn(d, est, ok ? v / est : 1);
    }
    return out;
  }

  /** Moves the factor of `d` with one report of actual ÷ estimate. */
  #learn(d: string, est: number, ratio: number): void {
    if (est === 0 || !this.limits[d] || this.#calls.has(d)) return;
    const k = this.#factors.get(d) ?? PRIOR;
    // Within 10⁻⁹ of 1 is 1: decay alone never reaches it in floating point (it stalls an ulp above).
    const over = (k - 1) * (1 - DECAY);
    const next = Math.min(MAX, Math.max(ratio, over < 1e-9 ? 1 : 1 + over));
    if (next !== k) this.#factors.set(d, next);
  }
}
