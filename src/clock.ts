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

/** The longest delay a host timer takes (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

type Handle = ReturnType<typeof setTimeout>;

/**
 * A wait longer than one host timer allows: a chain of timers of at most {@link MAX_TIMER_MS} each.
 * `handle` is the timer of the current link; `clearTimeout` on the chain clears it. Like a Node
 * timer it is ref'd until `unref()`, which every later link keeps.
 */
class TimerChain {
  handle: Handle;
  #leftMs: number;
  #refed = true;
  readonly #fn: () => void;
  constructor(fn: () => void, ms: number) {
    this.#fn = fn;
    this.#leftMs = ms;
    this.handle = this.#link();
  }
  #link(): Handle {
    const ms = Math.min(this.#leftMs, MAX_TIMER_MS);
    this.#leftMs -= ms; // Infinity stays Infinity: a wait that never ends
    const handle = setTimeout(this.#leftMs > 0 ? this.#next : this.#fn, ms);
    if (!this.#refed) (handle as { unref?: () => void }).unref?.();
    return handle;
  }
  readonly #next = (): void => {
    this.handle = this.#link();
  };
  unref(): this {
    this.#refed = false;
    (this.handle as { unref?: () => void }).unref?.();
    return this;
  }
  ref(): this {
    this.#refed = true;
    (this.handle as { ref?: () => void }).ref?.();
    return this;
  }
  hasRef(): boolean {
    return this.#refed;
  }
}

/**
 * The real clock. It looks up the global timer functions on every call, so sinon's fake timers
 * installed after import still take effect. A delay above {@link MAX_TIMER_MS} (a 30-day window, a
 * `Retry-After` of a year) is waited in chained timers instead of firing at once; `Infinity` never
 * fires; NaN and negative delays fire at once.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Timers stay ref'd: a call waiting to retry keeps a script alive until it settles.
  setTimeout: (fn, ms) => (ms > MAX_TIMER_MS ? new TimerChain(fn, ms) : setTimeout(fn, ms)),
  clearTimeout: (h) => clearTimeout(h instanceof TimerChain ? h.handle : (h as Handle)),
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
