/** Everything the emulator keeps between requests; `reset()` starts it afresh. */
import { FaultSource } from './faults.js';
import { KeyLedger } from './key-ledger.js';
import type { ResolvedOptions } from './options.js';
import { mulberry32, type Prng } from './prng.js';
import { StatsCollector } from './stats.js';
import { WIRES, type Wire } from './wire/index.js';

export class EmulatorState {
  readonly faults: FaultSource;
  /** The provider's routes, bodies and headers. */
  readonly wire: Wire;
  readonly ledgers = new Map<string, KeyLedger>();
  stats: StatsCollector;
  /** Draws latencies; apart from the fault draws, so a latency range does not shift which requests fail. */
  latencyRandom: Prng;
  private ids = 0;
  /** Pending timers, cleared on close. */
  readonly timers = new Set<unknown>();
  closed = false;

  constructor(readonly options: ResolvedOptions) {
    this.wire = WIRES[options.provider];
    this.faults = new FaultSource(options.faultRate, options.faultKinds, mulberry32(options.seed));
    this.latencyRandom = mulberry32(options.seed ^ 0x9e3779b9);
    this.stats = new StatsCollector(options.windowMs);
    const now = options.clock.now();
    for (const [key, limits] of options.keys) {
      this.ledgers.set(key, new KeyLedger(limits, options.limitAlgorithm, options.windowMs, now));
    }
  }

  reset(): void {
    const { seed, clock, windowMs } = this.options;
    this.faults.reset(mulberry32(seed));
    this.latencyRandom = mulberry32(seed ^ 0x9e3779b9);
    this.stats = new StatsCollector(windowMs);
    const now = clock.now();
    for (const ledger of this.ledgers.values()) ledger.clear(now);
    this.ids = 0;
  }

  /** A response id shaped like Cohere's UUIDs, counting up from 1. */
  nextId(): string {
    this.ids++;
    return `00000000-0000-4000-8000-${this.ids.toString(16).padStart(12, '0')}`;
  }

  /** One response's latency in real milliseconds (drawn, then divided by timeScale). */
  latencyMs(): number {
    const { min, max } = this.options.latency;
    const ms = max > min ? min + this.latencyRandom.next() * (max - min) : min;
    return ms / this.options.timeScale;
  }

  /** Runs `fn` after `ms` unless the emulator closes first. Returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      fn();
      return () => {};
    }
    const { clock } = this.options;
    const handle = clock.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(handle);
    return () => {
      clock.clearTimeout(handle);
      this.timers.delete(handle);
    };
  }

  clearTimers(): void {
    for (const handle of this.timers) this.options.clock.clearTimeout(handle);
    this.timers.clear();
  }
}
