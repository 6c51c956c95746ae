/**
 * Deterministic time and jitter for your own tests (`steady/testing`).
 *
 * ```ts
 * const clock = testClock();
 * const policy = createPolicy({ clock, random: seededRandom(42) });
 * const done = policy.run(flaky);
 * await clock.runAllAsync();   // every wait happens at once, in order
 * ```
 */
import type { Clock, Random } from './clock.js';

export interface TestClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and letting promises settle between them. */
  tickAsync(ms: number): Promise<void>;
  /** Fires timers until none is left (bounded at `limit` timers), letting promises settle between them. */
  runAllAsync(limit?: number): Promise<void>;
  /** How many timers are pending. */
  readonly pending: number;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A manual clock starting at `startMs` (default 0). Nothing happens until you tick it. */
export function testClock(startMs = 0): TestClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, Timer>();
  const nextDue = (until: number): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values()) {
      if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    return best;
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
  };
  const clock: TestClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async tickAsync(ms) {
      const until = now + ms;
      await settle();
      for (let t = nextDue(until); t; t = nextDue(until)) {
        timers.delete(t.seq);
        now = Math.max(now, t.at);
        t.fn();
        await settle();
      }
      now = until;
    },
    async runAllAsync(limit = 10_000) {
      await settle();
      for (let i = 0; i < limit; i++) {
        const t = nextDue(Number.POSITIVE_INFINITY);
        if (!t) return;
        timers.delete(t.seq);
        now = Math.max(now, t.at);
        t.fn();
        await settle();
      }
      throw new Error(`testClock: more than ${limit} timers fired; is something rescheduling forever?`);
    },
    get pending() {
      return timers.size;
    },
  };
  return clock;
}

/** A seeded PRNG (mulberry32): the same seed gives the same jitter on every run. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
