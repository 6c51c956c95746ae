import type { Cost, Limits } from '../../limit/types.js';

/**
 * Jobs deferred together must not come back together: a hundred jobs refused for the same limiter
 * wait or 429 pause would all return at one instant, one fits, and the rest are deferred again —
 * a herd every window. Each deferral takes the next place in this processor's line instead: no
 * earlier than the policy said, and one job's share of the limit's rate after the job before it
 * (its cost × window ÷ limit, on its slowest dimension: 1.5 s for one call at 40 a minute). A line
 * that has fallen behind the clock starts again at the wait itself.
 */
export class DeferralLine {
  #next = Number.NEGATIVE_INFINITY;

  constructor(private readonly limits: Limits | undefined) {}

  /** The delay to defer a job of `cost` by, for a wait of `ms` at `now`. */
  place(ms: number, cost: Cost, now: number): number {
    const at = Math.max(now + ms, this.#next);
    this.#next = at + this.#spacing(cost);
    return at - now;
  }

  #spacing(cost: Cost): number {
    let ms = 0;
    for (const [d, { limit, windowMs }] of Object.entries(this.limits ?? {})) {
      ms = Math.max(ms, ((cost[d] ?? (d === 'calls' ? 1 : 0)) * windowMs) / limit);
    }
    return ms;
  }
}
