import { describe, expect, it } from 'vitest';
import { sharedKey } from './shared-key-sim.js';

/*
 * Issue 8, item 7: a steady policy and a second client it does not know about share one key on a
 * server that enforces the limit and reports it in OpenAI's headers. Virtual time (testClock).
 * The bound is the issue's: ≤ 1 429 per 1,000 of steady's calls, ≥ 90 % of what the other client
 * leaves (limit × minutes − the other's served calls). Measured (npm run bench -- server-limits):
 * 0 per 1,000 and 91–93 % on every seed and pace; blind, 25–103 per 1,000.
 */
const BASE = { limit: 120, minutes: 30, callers: 8 };

describe('a key shared with a client steady does not know (OpenAI headers, virtual time)', () => {
  for (const otherPerMin of [20, 40, 80])
    for (const seed of [1, 2, 3]) {
      it(`other ${otherPerMin}/min, seed ${seed}: ≤ 1 429 per 1,000, ≥ 90 % of what the other client leaves`, async () => {
        const r = await sharedKey({ ...BASE, otherPerMin, seed, fromHeaders: true });
        const calls = r.steadyServed + r.steady429;
        expect(calls).toBeGreaterThan(1_000);
        expect(r.steady429 / calls).toBeLessThanOrEqual(0.001);
        expect(r.share).toBeGreaterThanOrEqual(0.9);
        expect(r.limitsEvents).toBe(1); // the learned calls limit, reported once
      }, 30_000);
    }

  it('blind (fromHeaders: false, the same limit configured) draws several times as many 429s', async () => {
    const seen = await sharedKey({ ...BASE, otherPerMin: 40, seed: 1, fromHeaders: true });
    const blind = await sharedKey({ ...BASE, otherPerMin: 40, seed: 1, fromHeaders: false });
    expect(blind.limitsEvents).toBe(0);
    expect(blind.steady429).toBeGreaterThan(5 * Math.max(1, seen.steady429));
  }, 30_000);
});
