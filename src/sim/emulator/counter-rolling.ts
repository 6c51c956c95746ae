import type { Counter } from './counter.js';

/**
 * Exact rolling window: every charge is kept with its arrival time and counts until one window later
 * (an entry charged at t occupies [t, t + window)).
 */
export class RollingCounter implements Counter {
  private times: number[] = [];
  private amounts: number[] = [];
  private head = 0;
  private sum = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  used(now: number): number {
    this.expire(now);
    return this.sum;
  }

  waitMs(now: number, amount: number): number {
    if (amount > this.limit) return Number.POSITIVE_INFINITY;
    this.expire(now);
    let excess = this.sum + amount - this.limit;
    if (excess <= 0) return 0;
    for (let i = this.head; i < this.times.length; i++) {
      excess -= this.amounts[i]!;
      if (excess <= 0) return this.times[i]! + this.windowMs - now;
    }
    return this.windowMs;
  }

  add(now: number, amount: number): void {
    this.expire(now);
    this.times.push(now);
    this.amounts.push(amount);
    this.sum += amount;
  }

  private expire(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) {
      this.sum -= this.amounts[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.amounts = this.amounts.slice(this.head);
      this.head = 0;
    }
  }
}
