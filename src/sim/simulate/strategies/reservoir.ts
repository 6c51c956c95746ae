/** Bottleneck's reservoir in virtual time: `limit` takes per fixed window, windows counted from 0. */
import type { Clock } from '../../../clock.js';

export class Reservoir {
  #window = 0;
  #used = 0;
  #timer: unknown;
  readonly #queue: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one; resolves with how long it waited (first come, first served). */
  take(): Promise<number> {
    const start = this.clock.now();
    if (this.#queue.length === 0 && this.#available()) {
      this.#used++;
      return Promise.resolve(0);
    }
    return new Promise((resolve) => {
      this.#queue.push(() => resolve(this.clock.now() - start));
      this.#arm();
    });
  }

  #available(): boolean {
    const window = Math.floor(this.clock.now() / this.windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#used = 0;
    }
    return this.#used < this.limit;
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const next = (Math.floor(this.clock.now() / this.windowMs) + 1) * this.windowMs;
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      while (this.#queue.length > 0 && this.#available()) {
        this.#used++;
        this.#queue.shift()!();
      }
      if (this.#queue.length > 0) this.#arm();
    }, next - this.clock.now());
  }
}
