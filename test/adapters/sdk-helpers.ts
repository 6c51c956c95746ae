/** A recording Limiter and a recording fetch, shared by the sdk adapter tests. */
import type { Cost, Limiter } from '../../src/limit/types.js';

export interface Settlement {
  cost: Cost;
  /** `commit` (with its usage argument) or `refund`; undefined while open. */
  how?: 'commit' | 'refund';
  usage?: Partial<Record<string, number>> | undefined;
}

/** A Limiter that admits everything at once and records every reservation and how it was settled. */
export function recordingLimiter() {
  const reservations: Settlement[] = [];
  const errors: string[] = [];
  const limiter: Limiter = {
    async acquire(cost) {
      const r: Settlement = { cost };
      reservations.push(r);
      const settle = (how: 'commit' | 'refund', usage?: Partial<Record<string, number>>) => {
        if (r.how) errors.push(`settled twice: ${r.how} then ${how}`);
        r.how = how;
        r.usage = usage;
      };
      return { commit: (usage) => settle('commit', usage), refund: () => settle('refund') };
    },
    pause() {},
  };
  return { limiter, reservations, errors, open: () => reservations.filter((r) => !r.how).length };
}

/** A fetch that records the signal of every request it sends. */
export function recordingFetch() {
  const signals: AbortSignal[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (init?.signal) signals.push(init.signal);
    return globalThis.fetch(input, init);
  };
  return { fetch, signals };
}

/** Polls (real time, short turns) until `done()`, at most `rounds` turns: for a real client's I/O. */
export async function until(done: () => boolean, rounds = 2_000): Promise<void> {
  for (let i = 0; i < rounds && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Settles `p` whose waits run on `clock` and whose I/O is real: moves virtual time a second at a
 * time, letting real I/O run between the steps.
 */
export async function drive<T>(clock: { tickAsync(ms: number): Promise<void> }, p: Promise<T>): Promise<T> {
  let settled = false;
  const out = p.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 2_000 && !settled; i++) {
    await clock.tickAsync(1_000);
    await new Promise((r) => setTimeout(r, 2));
  }
  return out;
}
