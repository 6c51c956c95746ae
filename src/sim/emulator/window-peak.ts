/**
 * The most accepted requests (and tokens) whose arrivals fell in any one rolling window, measured online
 * with a sliding two-pointer over the arrival log. Arrivals come in time order, so the log only keeps the
 * current window (bounded by `maxEntries`; past that the oldest are dropped and the peak may be low).
 */
export class WindowPeak {
  private times: number[] = [];
  private tokens: number[] = [];
  private head = 0;
  private sum = 0;
  maxCalls = 0;
  maxTokens = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  record(at: number, tokens: number): void {
    const last = this.times[this.times.length - 1];
    const t = last !== undefined && at < last ? last : at;
    this.times.push(t);
    this.tokens.push(tokens);
    this.sum += tokens;
    while (this.times[this.head]! <= t - this.windowMs || this.times.length - this.head > this.maxEntries) {
      this.sum -= this.tokens[this.head]!;
      this.head++;
    }
    this.maxCalls = Math.max(this.maxCalls, this.times.length - this.head);
    this.maxTokens = Math.max(this.maxTokens, this.sum);
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }
}
