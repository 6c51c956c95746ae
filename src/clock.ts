/**
 * Time and randomness, injected. Every delay steady waits and every jitter it draws comes from here,
 * so tests (sinon fake timers, or `testClock()` from `steady/testing`) and the simulator drive time.
 */

/** A source of time. `setTimeout` handles are opaque. */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A source of uniform random numbers in [0, 1). */
export interface Random {
  next(): number;
}

/**
 * The real clock. It looks up the global timer functions on every call, so sinon's fake timers
 * installed after import still take effect.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Timers stay ref'd: a call waiting to retry keeps a script alive until it settles.
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const mathRandom: Random = { next: () => Math.random() };

/** The reason an aborted signal carries, or a DOMException-style AbortError when it carries none. */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('This operation was aborted');
  err.name = 'AbortError';
  return err;
}

/**
 * Waits `ms` on `clock`. Rejects with the signal's reason the moment it aborts; the timer and the
 * listener are removed either way.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortReason(signal!));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
