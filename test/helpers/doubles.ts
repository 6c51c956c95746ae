import type { Clock } from '../../src/clock.js';
import type { Cost, Limiter, Reservation } from '../../src/limit/types.js';

/** A clock whose waits end on the next turn of the event loop, moving time forward by their length. */
export function instantClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) =>
      setImmediate(() => {
        now += ms;
        fn();
      }),
    clearTimeout: (h) => clearImmediate(h as NodeJS.Immediate),
  };
}

/** A Limiter that admits everything and records what it was asked for and told. */
export function recordingLimiter() {
  const costs: Cost[] = [];
  const settled: unknown[] = [];
  const limiter: Limiter = {
    acquire: async (cost): Promise<Reservation> => {
      costs.push(cost);
      return { commit: (actual) => settled.push(actual ?? 'estimate'), refund: () => settled.push('refund') };
    },
    pause: () => {},
  };
  return { limiter, costs, settled };
}
