import sinon from 'sinon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, systemClock } from '../src/clock.js';
import { testClock } from '../src/testing.js';

const DAY = 86_400_000;

describe('systemClock timers longer than 2^31 - 1 ms', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => timers.restore());

  it('sinon models the host overflow: a bare setTimeout of 3e9 ms fires after 1 ms', () => {
    let fired = 0;
    setTimeout(() => fired++, 3e9);
    timers.tick(1);
    expect(fired).toBe(1); // so the tests below would fail against a plain setTimeout
  });

  it('fires a 3e9 ms wait at 3e9 ms, not before', () => {
    let fired = 0;
    systemClock.setTimeout(() => fired++, 3e9);
    timers.tick(MAX_TIMER_MS);
    expect(fired).toBe(0);
    timers.tick(3e9 - MAX_TIMER_MS - 1);
    expect(fired).toBe(0);
    timers.tick(1);
    expect(fired).toBe(1);
    expect(timers.countTimers()).toBe(0);
  });

  it('fires a year-long wait once, at the year, through 15 links', () => {
    const year = 365 * DAY; // 3.1536e10 ms: 14 full links and a partial one
    let firedAt: number | undefined;
    systemClock.setTimeout(() => (firedAt = Date.now()), year);
    timers.tick(year - 1);
    expect(firedAt).toBeUndefined();
    timers.tick(1);
    expect(firedAt).toBe(year);
  });

  it('clearTimeout on the returned handle stops the chain, in its first link or a later one', () => {
    let fired = 0;
    const a = systemClock.setTimeout(() => fired++, 3e9);
    systemClock.clearTimeout(a);
    const b = systemClock.setTimeout(() => fired++, 5e9);
    timers.tick(MAX_TIMER_MS + 10); // b is in its second link now
    systemClock.clearTimeout(b);
    expect(timers.countTimers()).toBe(0);
    timers.tick(10e9);
    expect(fired).toBe(0);
  });

  it('never fires an Infinity wait, holding one timer until cleared', () => {
    let fired = 0;
    const h = systemClock.setTimeout(() => fired++, Number.POSITIVE_INFINITY);
    timers.tick(5 * MAX_TIMER_MS);
    expect(fired).toBe(0);
    expect(timers.countTimers()).toBe(1);
    systemClock.clearTimeout(h);
    expect(timers.countTimers()).toBe(0);
  });

  it('keeps unref() on every later link; ref() by default', () => {
    const h = systemClock.setTimeout(() => {}, 3 * MAX_TIMER_MS) as {
      handle: { hasRef(): boolean };
      unref(): unknown;
      hasRef(): boolean;
    };
    expect(h.hasRef()).toBe(true);
    expect(h.handle.hasRef()).toBe(true);
    h.unref();
    expect(h.handle.hasRef()).toBe(false);
    timers.tick(MAX_TIMER_MS);
    expect(h.hasRef()).toBe(false);
    expect(h.handle.hasRef()).toBe(false); // the second link
    systemClock.clearTimeout(h);
  });

  it('hands short delays straight to the host timer', () => {
    let fired = 0;
    systemClock.setTimeout(() => fired++, MAX_TIMER_MS);
    timers.tick(MAX_TIMER_MS - 1);
    expect(fired).toBe(0);
    timers.tick(1);
    expect(fired).toBe(1);
  });
});

describe('systemClock with real timers', () => {
  it("a chained handle is ref'd like a Node timer, unref() and clearTimeout work on it", () => {
    const h = systemClock.setTimeout(() => {
      throw new Error('must not fire');
    }, 40 * DAY) as { hasRef(): boolean; unref(): unknown; handle: NodeJS.Timeout };
    expect(h.hasRef()).toBe(true);
    expect(h.handle.hasRef()).toBe(true);
    h.unref();
    expect(h.handle.hasRef()).toBe(false);
    systemClock.clearTimeout(h);
  });
});

describe('testClock', () => {
  it('fires waits longer than 2^31 - 1 ms at their time', async () => {
    const clock = testClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 3e9);
    clock.setTimeout(() => fired.push(clock.now()), 365 * DAY);
    await clock.tickAsync(3e9 - 1);
    expect(fired).toEqual([]);
    await clock.tickAsync(1);
    expect(fired).toEqual([3e9]);
    await clock.runAllAsync();
    expect(fired).toEqual([3e9, 365 * DAY]);
  });
});
