/** Counts what the server saw; `snapshot()` is what `emulator.stats()` returns. */
import type { EmulatorStats, KeyStats } from './types.js';
import { WindowPeak } from './window-peak.js';

interface KeyRecord {
  accepted: number;
  rateLimited: { calls: number; tokens: number };
  tokensBilled: number;
  peak: WindowPeak;
}

export class StatsCollector {
  private requests = 0;
  private byPath: Record<string, number> = {};
  private byStatus: Record<number, number> = {};
  private byFault: Record<string, number> = {};
  private keys = new Map<string, KeyRecord>();

  constructor(private readonly windowMs: number) {}

  received(path: string): void {
    this.requests++;
    this.byPath[path] = (this.byPath[path] ?? 0) + 1;
  }

  status(code: number): void {
    this.byStatus[code] = (this.byStatus[code] ?? 0) + 1;
  }

  fault(kind: string): void {
    this.byFault[kind] = (this.byFault[kind] ?? 0) + 1;
  }

  rateLimited(key: string, dimension: 'calls' | 'tokens'): void {
    this.key(key).rateLimited[dimension]++;
  }

  accepted(key: string, at: number, tokens: number): void {
    const k = this.key(key);
    k.accepted++;
    k.tokensBilled += tokens;
    k.peak.record(at, tokens);
  }

  snapshot(): EmulatorStats {
    const byKey: Record<string, KeyStats> = {};
    const total = { accepted: 0, tokensBilled: 0, calls: 0, tokens: 0, maxCalls: 0, maxTokens: 0 };
    for (const [name, k] of this.keys) {
      byKey[name] = {
        accepted: k.accepted,
        rateLimited: { ...k.rateLimited },
        tokensBilled: k.tokensBilled,
        maxCallsInAnyWindow: k.peak.maxCalls,
        maxTokensInAnyWindow: k.peak.maxTokens,
      };
      total.accepted += k.accepted;
      total.tokensBilled += k.tokensBilled;
      total.calls += k.rateLimited.calls;
      total.tokens += k.rateLimited.tokens;
      total.maxCalls = Math.max(total.maxCalls, k.peak.maxCalls);
      total.maxTokens = Math.max(total.maxTokens, k.peak.maxTokens);
    }
    return {
      requests: this.requests,
      byPath: { ...this.byPath },
      byStatus: { ...this.byStatus },
      byFault: { ...this.byFault },
      rateLimited: { calls: total.calls, tokens: total.tokens },
      accepted: total.accepted,
      tokensBilled: total.tokensBilled,
      maxCallsInAnyWindow: total.maxCalls,
      maxTokensInAnyWindow: total.maxTokens,
      byKey,
    };
  }

  private key(name: string): KeyRecord {
    let k = this.keys.get(name);
    if (!k) {
      k = {
        accepted: 0,
        rateLimited: { calls: 0, tokens: 0 },
        tokensBilled: 0,
        peak: new WindowPeak(this.windowMs),
      };
      this.keys.set(name, k);
    }
    return k;
  }
}
