import type { Counter } from './counter.js';

/** Fixed windows: the count resets at every window boundary (boundaries start at the emulator's start). */
export class FixedCounter implements Counter {
  private index = 0;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly origin: number,
  ) {}

  used(now: number): number {
    this.roll(now);
    return this.count;
  }

  waitMs(now: number, amount: number): number {
    if (amount > this.limit) return Number.POSITIVE_INFINITY;
    this.roll(now);
    if (this.count + amount <= this.limit) return 0;
    return this.origin + (this.index + 1) * this.windowMs - now;
  }

  add(now: number, amount: number): void {
    this.roll(now);
    this.count += amount;
  }

  private roll(now: number): void {
    const index = Math.floor((now - this.origin) / this.windowMs);
    if (index !== this.index) {
      this.index = index;
      this.count = 0;
    }
  }
}
