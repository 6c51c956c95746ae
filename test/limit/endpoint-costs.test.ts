/** A call to an endpoint whose limit counts units the call does not name (limit/endpoints.ts). */
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

describe('an endpoint limit on units the call does not name', () => {
  it("is not charged: an embed call without cost.inputs runs, and the embed limit's room is untouched", async () => {
    const clock = testClock();
    const policy = createPolicy({
      clock,
      limiter: { endpoints: { embed: { inputs: { limit: 10, windowMs: 60_000 } } } },
    });
    await expect(policy.run(() => 'no inputs named', { endpoint: 'embed' })).resolves.toBe('no inputs named');
    // All 10 inputs are still free: a call for 10 is admitted at once.
    expect(await policy.limiter!.tryAcquire!({ calls: 1, 'embed:inputs': 10 })).toMatchObject({ ok: true });
  });
});
