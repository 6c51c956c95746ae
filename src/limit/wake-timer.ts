import type { Clock } from '../clock.js';

/** The one timer that wakes the head of the queue; setting it again replaces it. */
export class WakeTimer {
  #handle: unknown;
  #pending = false;

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  get pending(): boolean {
    return this.#pending;
  }

  /** Wakes in `ms` (rounded up to whole milliseconds, at least 1). */
  set(ms: number): void {
    this.clear();
    this.#pending = true;
    this.#handle = this.clock.setTimeout(this.#fire, Math.max(1, Math.ceil(ms)));
  }

  clear(): void {
    if (!this.#pending) return;
    this.#pending = false;
    this.clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  readonly #fire = (): void => {
    this.#pending = false;
    this.#handle = undefined;
    this.wake();
  };
}
