import type { Counter } from './counter.js';

/** Token bucket: capacity `limit`, refilled continuously at `limit` per window. Starts full. */
export class BucketCounter implements Counter {
  private level: number;
  private last: number;
  private readonly ratePerMs: number;

  constructor(
    private readonly limit: number,
    windowMs: number,
    origin: number,
  ) {
    this.level = limit;
    this.last = origin;
    this.ratePerMs = limit / windowMs;
  }

  used(now: number): number {
    this.refill(now);
    return this.limit - this.level;
  }

  waitMs(now: number, amount: number): number {
    if (amount > this.limit) return Number.POSITIVE_INFINITY;
    this.refill(now);
    const deficit = amount - this.level;
    return deficit <= 0 ? 0 : Math.ceil(deficit / this.ratePerMs);
  }

  add(now: number, amount: number): void {
    this.refill(now);
    this.level -= amount;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.limit, this.level + (now - this.last) * this.ratePerMs);
      this.last = now;
    }
  }
}
