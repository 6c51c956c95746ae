import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/index.js';

/* createPolicy's own checks (policy/check-options.ts), message for message. */

const limits = { calls: { limit: 40, windowMs: 60_000 } };
const chat = { chat: { calls: { limit: 10, windowMs: 60_000 } } };

describe("createPolicy's options", () => {
  it('limiter.fromHeaders must be true or false', () => {
    expect(() => createPolicy({ limits, limiter: { fromHeaders: 'yes' } } as never)).toThrow(
      new TypeError("steady: limiter.fromHeaders must be true or false, got 'yes'"),
    );
    expect(() => createPolicy({ limits, limiter: { fromHeaders: false } })).not.toThrow();
  });

  it('a Limiter of your own needs pause()', () => {
    expect(() => createPolicy({ limiter: { acquire: async () => ({}) } } as never)).toThrow(
      new TypeError(
        'steady: limiter.pause must be a function (limiter must be a Limiter with acquire(), pause())',
      ),
    );
  });

  it("provider must be a provider's name", () => {
    expect(() => createPolicy({ provider: 42 } as never)).toThrow(
      new TypeError("steady: provider must be a provider's name such as 'cohere', got 42"),
    );
  });

  it('limiter options with empty limits are refused: there would be nothing to limit', () => {
    expect(() => createPolicy({ limits: {}, limiter: { maxQueued: 5 } })).toThrow(
      /^steady: limiter options need limits: set limits/,
    );
    // Empty limits alone are fine: no limiter.
    expect(createPolicy({ limits: {} }).limiter).toBeUndefined();
  });

  it("limiter options are fine with limiter.endpoints' limits, or with serverLimits to learn them, and no limits", () => {
    const byEndpoint = createPolicy({ limiter: { maxQueued: 5, endpoints: chat } });
    expect(byEndpoint.limiter).toBeDefined();
    const learning = createPolicy({ limiter: { maxQueued: 5 }, serverLimits: () => undefined });
    expect(learning.limiter).toBeUndefined(); // until the server's headers name a limit
  });
});
