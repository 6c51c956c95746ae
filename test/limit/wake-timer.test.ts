/** The queue's one wake-up timer: whole milliseconds, at least 1, one at a time, nothing left behind. */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { WakeTimer } from '../../src/limit/wake-timer.js';

/** A clock that records what is asked of it; `fire()` runs the live timers. */
function recordingClock() {
  const live = new Map<number, () => void>();
  const asked: number[] = [];
  const cleared: unknown[] = [];
  let next = 1;
  const clock: Clock = {
    now: () => 0,
    setTimeout(fn, ms) {
      asked.push(ms);
      live.set(next, fn);
      return next++;
    },
    clearTimeout(h) {
      cleared.push(h);
      live.delete(h as number);
    },
  };
  const fire = () => {
    const fns = [...live.values()];
    live.clear();
    for (const fn of fns) fn();
  };
  return { clock, asked, cleared, live, fire };
}

describe('WakeTimer', () => {
  it('rounds up to whole milliseconds and never asks for less than 1', () => {
    const { clock, asked } = recordingClock();
    const t = new WakeTimer(clock, () => {});
    for (const ms of [0, 0.2, 1, 1.5, 999.01, 1_000, -5]) t.set(ms);
    expect(asked).toEqual([1, 1, 1, 2, 1_000, 1_000, 1]);
  });

  it('setting it again replaces the pending timer: one live timer, one wake', () => {
    const { clock, live, fire } = recordingClock();
    let wakes = 0;
    const t = new WakeTimer(clock, () => wakes++);
    t.set(100);
    t.set(50);
    expect(live.size).toBe(1);
    expect(t.pending).toBe(true);
    fire();
    expect(wakes).toBe(1);
    expect(t.pending).toBe(false);
  });

  it('clear leaves no timer and no wake; a second clear does nothing', () => {
    const { clock, cleared, live, fire } = recordingClock();
    let wakes = 0;
    const t = new WakeTimer(clock, () => wakes++);
    expect(t.pending).toBe(false);
    t.clear();
    expect(cleared).toEqual([]); // nothing pending: the clock is not asked
    t.set(10);
    t.clear();
    t.clear();
    expect(cleared).toEqual([1]);
    expect(live.size).toBe(0);
    expect(t.pending).toBe(false);
    fire();
    expect(wakes).toBe(0);
  });

  it('after it fired, clear does not clear a stale handle; it can be set again', () => {
    const { clock, cleared, fire } = recordingClock();
    let wakes = 0;
    const t = new WakeTimer(clock, () => {
      wakes++;
      expect(t.pending).toBe(false); // already not pending when the wake runs
    });
    t.set(10);
    fire();
    t.clear();
    expect(cleared).toEqual([]);
    t.set(10);
    expect(t.pending).toBe(true);
    fire();
    expect(wakes).toBe(2);
  });
});
