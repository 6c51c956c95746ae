import { describe, expect, it } from 'vitest';
import { Breaker } from '../../src/budget/breaker.js';
import type { FailVerdict } from '../../src/classify/verdict.js';
import { Emitter } from '../../src/hooks/emitter.js';
import { CircuitOpenError } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

const UNAUTHORIZED: FailVerdict = { action: 'fail', reason: 'unauthorized', scope: 'account', status: 401 };

/** A breaker with a 1,000 ms cooldown on a test clock, and its `breaker` events as states. */
function breaker() {
  const clock = testClock(10_000);
  const events: string[] = [];
  const emitter = new Emitter({ breaker: (e) => void events.push(e.state) });
  return { b: new Breaker(1_000, clock, emitter), clock, events };
}

function thrown(fn: () => unknown): CircuitOpenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CircuitOpenError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('Breaker', () => {
  it('fails fast with the reason, the wait left and the verdict; then "a probe call is in flight"', async () => {
    const { b, clock } = breaker();
    expect(b.enter()).toBe(false);
    b.settle(false, UNAUTHORIZED);
    await clock.tickAsync(600);
    const open = thrown(() => b.enter());
    expect(open.message).toBe(
      'steady: circuit open after an account-wide failure (unauthorized); next probe allowed in 400 ms',
    );
    expect(open.verdict).toEqual(UNAUTHORIZED);
    expect(open.attempts).toBe(0);
    await clock.tickAsync(400);
    expect(b.enter()).toBe(true);
    expect(thrown(() => b.enter()).message).toBe(
      'steady: circuit open after an account-wide failure (unauthorized); a probe call is in flight',
    );
  });

  it('says open once when two calls fail account-wide, and restarts the cooldown from the later', async () => {
    const { b, clock, events } = breaker();
    b.settle(false, UNAUTHORIZED);
    await clock.tickAsync(500);
    b.settle(false, { ...UNAUTHORIZED, reason: 'payment-required', status: 402 });
    expect(events).toEqual(['open']);
    expect(b.state).toBe('open');
    await clock.tickAsync(999);
    expect(thrown(() => b.enter()).message).toMatch(/\(payment-required\); next probe allowed in 1 ms$/);
    await clock.tickAsync(1);
    expect(b.enter()).toBe(true);
    expect(events).toEqual(['open', 'half-open']);
  });

  it('is not closed by a call that started before it opened and ends well during the probe', async () => {
    const { b, clock, events } = breaker();
    const early = b.enter(); // closed: not a probe
    b.settle(false, UNAUTHORIZED);
    await clock.tickAsync(1_000);
    expect(b.enter()).toBe(true); // the probe
    b.settle(early, 'ok');
    expect(b.state).toBe('half-open');
    expect(() => b.enter()).toThrow(/a probe call is in flight/);
    expect(events).toEqual(['open', 'half-open']);
  });

  it('closes after a probe answered by the server (ok, or a failure with a status), not one without a status', async () => {
    const { b, clock, events } = breaker();
    b.settle(false, UNAUTHORIZED);
    await clock.tickAsync(1_000);
    expect(b.enter()).toBe(true);
    b.settle(true, { action: 'fail', reason: 'unclassified', scope: 'request' });
    expect(b.state).toBe('half-open');
    expect(b.enter()).toBe(true); // the next call probes
    b.settle(true, { action: 'fail', reason: 'invalid-request', scope: 'request', status: 400 });
    expect(b.state).toBe('closed');
    expect(events).toEqual(['open', 'half-open', 'closed']);
    expect(b.enter()).toBe(false);
  });
  it('stays open when a call that entered before it opened fails account-wide while the probe is out', async () => {
    const { b, clock, events } = breaker();
    expect(b.enter()).toBe(false); // a long call, still in flight when the breaker opens
    b.settle(false, UNAUTHORIZED);
    await clock.tickAsync(1_000);
    expect(b.enter()).toBe(true); // the probe
    b.settle(false, UNAUTHORIZED); // the long call ends: the key is still refused
    b.settle(true, 'ok'); // the probe's success is older news
    expect(b.state).toBe('open');
    expect(events).toEqual(['open', 'half-open', 'open']);
    expect(() => b.enter()).toThrow(CircuitOpenError);
  });
});
