/** One key's two ledgers (calls and tokens), checked and charged together at a request's arrival. */
import { messages } from './catalogue.js';
import { type Counter, createCounter } from './counter.js';
import type { KeyLimits, LimitAlgorithm } from './types.js';
import type { LimitState } from './wire/types.js';

export type Admission =
  | { ok: true }
  | { ok: false; dimension: 'calls' | 'tokens'; message: string; waitMs: number };

export class KeyLedger {
  private calls!: Counter;
  private tokens!: Counter;

  constructor(
    readonly limits: Required<KeyLimits>,
    private readonly algorithm: LimitAlgorithm,
    private readonly windowMs: number,
    now: number,
  ) {
    this.clear(now);
  }

  clear(now: number): void {
    this.calls = createCounter(this.algorithm, this.limits.callsPerMinute, this.windowMs, now);
    this.tokens = createCounter(this.algorithm, this.limits.tokensPerMinute, this.windowMs, now);
  }

  /**
   * Admits and charges one call of `tokens`, or says which limit it exceeds (calls first) and how long
   * until it would fit (`waitMs`, capped at one window when it never fits). A refused call is not charged.
   */
  admit(now: number, tokens: number): Admission {
    const callsWait = this.calls.waitMs(now, 1);
    const tokensWait = this.tokens.waitMs(now, tokens);
    if (callsWait === 0 && tokensWait === 0) {
      this.calls.add(now, 1);
      this.tokens.add(now, tokens);
      return { ok: true };
    }
    const waitMs = Math.min(this.windowMs, Math.max(callsWait, tokensWait));
    const trial = this.limits.plan === 'trial';
    if (callsWait > 0) {
      const message = trial ? messages.trialCalls(this.limits.callsPerMinute) : messages.productionCalls;
      return { ok: false, dimension: 'calls', message, waitMs };
    }
    const limit = this.limits.tokensPerMinute;
    const message = trial ? messages.trialTokens(limit) : messages.productionTokens(limit);
    return { ok: false, dimension: 'tokens', message, waitMs };
  }

  /** Each limit's state at `now`, for rate-limit headers and messages. */
  state(now: number): LimitState {
    const dimension = (counter: Counter, limit: number) => ({
      limit,
      remaining: Math.max(0, Math.floor(limit - counter.used(now))),
      resetMs: Math.min(this.windowMs, Math.max(0, counter.waitMs(now, limit))),
    });
    return {
      limits: this.limits,
      calls: dimension(this.calls, this.limits.callsPerMinute),
      tokens: dimension(this.tokens, this.limits.tokensPerMinute),
      now,
    };
  }
}
