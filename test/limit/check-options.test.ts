/** The limiter's option checks (limit/check-options.ts), message for message, and the default pause (limit/options.ts). */
import { describe, expect, it } from 'vitest';
import { createLimiter, createPolicy } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

const limits = { calls: { limit: 40, windowMs: 60_000 } };
const EXAMPLE = '{ calls: { limit: 40, windowMs: 60_000 } }';
const store = () => ({ tryReserve() {}, settle() {}, release() {}, pause() {} });

describe("createLimiter's limits", () => {
  it('are required, and must be an object', () => {
    expect(() => createLimiter({} as never)).toThrow(
      new TypeError(`steady: limits is required, such as ${EXAMPLE}`),
    );
    expect(() => createLimiter({ limits: 5 } as never)).toThrow(
      new TypeError(`steady: limits must be an object such as ${EXAMPLE}, got 5`),
    );
  });

  it('a dimension other than calls may have a fractional limit; calls may not', () => {
    expect(() => createLimiter({ limits: { tokens: { limit: 0.5, windowMs: 1_000 } } })).not.toThrow();
    expect(() => createLimiter({ limits: { calls: { limit: 0.5, windowMs: 1_000 } } })).toThrow(
      /limits\.calls\.limit/,
    );
  });
});

describe("a store's optional hooks", () => {
  it('bind and idle must be functions, named under the path of the options', () => {
    expect(() => createLimiter({ limits, store: { ...store(), bind: 5 } } as never)).toThrow(
      new TypeError('steady: store.bind must be a function, got 5'),
    );
    expect(() => createPolicy({ limits, limiter: { store: { ...store(), idle: 'x' } } } as never)).toThrow(
      new TypeError("steady: limiter.store.idle must be a function, got 'x'"),
    );
    expect(() =>
      createLimiter({ limits, store: { ...store(), bind() {}, idle() {} } } as never),
    ).not.toThrow();
  });

  it("a store that does not bind cannot take the default store's options", () => {
    expect(() => createLimiter({ limits, store: store(), algorithm: 'bucket' } as never)).toThrow(
      new TypeError('steady: algorithm configures the default store; set it on the store passed as store'),
    );
    expect(() => createPolicy({ limits, limiter: { store: store(), safetyMarginMs: 5 } } as never)).toThrow(
      new TypeError(
        'steady: limiter.safetyMarginMs configures the default store; set it on the store passed as store',
      ),
    );
  });
});

describe('the pause after a 429 without a hint', () => {
  it("is 1/60 of the named dimension's window, or of the longest window when none is named", async () => {
    const two = { calls: { limit: 40, windowMs: 60_000 }, tokens: { limit: 1_000, windowMs: 6_000 } };
    const named = createLimiter({ limits: two, clock: testClock() });
    named.pause(0, 'tokens');
    expect(await named.tryAcquire({ calls: 1 })).toMatchObject({
      ok: false,
      retryInMs: 100,
      dimension: 'pause',
    });
    const unnamed = createLimiter({ limits: two, clock: testClock() });
    unnamed.pause(0);
    expect(await unnamed.tryAcquire({ calls: 1 })).toMatchObject({
      ok: false,
      retryInMs: 1_000,
      dimension: 'pause',
    });
  });
});
