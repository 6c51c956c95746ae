/**
 * The breaker's half-open state, through the policy: after the cooldown exactly one probe call goes
 * through; every other call fails fast while it is out; how the probe ends decides the state.
 */
import { describe, expect, it } from 'vitest';
import { CircuitOpenError, createPolicy, FatalError } from '../../src/index.js';
import { testClock } from '../../src/testing.js';

const COOLDOWN = 30_000;

/** A policy whose breaker is open after a 401; `states` records every breaker event. */
async function openBreaker() {
  const clock = testClock();
  const states: string[] = [];
  const policy = createPolicy({
    clock,
    breaker: { cooldownMs: COOLDOWN },
    on: { breaker: (e) => states.push(e.state) },
  });
  await expect(
    policy.run(() => Promise.reject({ status: 401, body: { message: 'invalid api token' } })),
  ).rejects.toBeInstanceOf(FatalError);
  return { clock, states, policy };
}

/** A call whose single attempt waits until `settle` is called. */
function pending() {
  let settle!: (outcome: 'ok' | { status: number; body?: unknown }) => void;
  let ran = 0;
  const fn = () =>
    new Promise((resolve, reject) => {
      ran++;
      settle = (o) => (o === 'ok' ? resolve('done') : reject(o));
    });
  return { fn, settle: (o: Parameters<typeof settle>[0]) => settle(o), ran: () => ran };
}

describe('the breaker, half-open', () => {
  it('fails fast until the cooldown ends, to the millisecond', async () => {
    const { clock, policy } = await openBreaker();
    await clock.tickAsync(COOLDOWN - 1);
    const early = await policy.run(() => 'x').catch((e) => e);
    expect(early).toBeInstanceOf(CircuitOpenError);
    expect(early.message).toContain('next probe allowed in 1 ms');
    await clock.tickAsync(1);
    await expect(policy.run(() => 'x')).resolves.toBe('x');
  });

  it('lets exactly one probe through; calls during it fail fast without running', async () => {
    const { clock, policy, states } = await openBreaker();
    await clock.tickAsync(COOLDOWN);
    const probe = pending();
    const first = policy.run(probe.fn);
    const others = pending();
    const during = await Promise.all([
      policy.run(others.fn).catch((e: Error) => e),
      policy.run(others.fn).catch((e: Error) => e),
    ]);
    for (const e of during as Error[]) {
      expect(e).toBeInstanceOf(CircuitOpenError);
      expect(e.message).toContain('a probe call is in flight');
    }
    expect(others.ran()).toBe(0);
    expect(probe.ran()).toBe(1);
    probe.settle('ok');
    await expect(first).resolves.toBe('done');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    await expect(policy.run(() => 'after')).resolves.toBe('after');
  });

  it('a probe that ends in a request-level failure with a status closes it: the key itself works', async () => {
    const { clock, policy, states } = await openBreaker();
    await clock.tickAsync(COOLDOWN);
    const bad = await policy
      .run(() => Promise.reject({ status: 400, body: { message: 'invalid request: missing model' } }))
      .catch((e) => e);
    expect(bad).toBeInstanceOf(FatalError);
    expect(bad.verdict).toMatchObject({ reason: 'invalid-request', scope: 'request' });
    expect(states).toEqual(['open', 'half-open', 'closed']);
    await expect(policy.run(() => 'next')).resolves.toBe('next');
  });

  it('a probe that proves nothing (the caller aborted it) lets the next call probe, still half-open', async () => {
    const { clock, policy, states } = await openBreaker();
    await clock.tickAsync(COOLDOWN);
    const ac = new AbortController();
    const probe = pending();
    const first = policy.run(probe.fn, { signal: ac.signal });
    ac.abort(new Error('user left'));
    await expect(first).rejects.toThrow('user left');
    expect(states).toEqual(['open', 'half-open']);
    await expect(policy.run(() => 'second probe')).resolves.toBe('second probe');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });
});
