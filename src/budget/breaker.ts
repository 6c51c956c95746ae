import type { FailVerdict, Verdict } from '../classify/verdict.js';
import type { Clock } from '../clock.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { Emitter } from '../hooks/emitter.js';

export interface BreakerOptions {
  /** How long the breaker stays open after an account-wide failure before one probe call may pass. @default 30_000 */
  cooldownMs?: number;
}

/**
 * Opens on an account-wide failure (a `fail` verdict with `scope: 'account'`: 401, 402, an
 * exhausted quota). While open, calls fail fast with `CircuitOpenError` without touching the
 * network. After `cooldownMs` it lets one probe call through (half-open): success closes it,
 * another account-wide failure opens it again.
 */
export class Breaker {
  #state: 'closed' | 'open' | 'half-open' = 'closed';
  #openedAt = 0;
  #verdict: FailVerdict | undefined;
  #probing = false;

  constructor(
    private readonly cooldownMs: number,
    private readonly clock: Clock,
    private readonly emitter: Emitter,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    return this.#state;
  }

  /** Throws `CircuitOpenError` unless a call may go ahead. Returns true when this call is the half-open probe. */
  enter(): boolean {
    if (this.#state === 'closed') return false;
    if (this.#state === 'open' && this.clock.now() - this.#openedAt >= this.cooldownMs) {
      this.#state = 'half-open';
      this.#probing = false;
      this.emitter.emit('breaker', { state: 'half-open' });
    }
    if (this.#state === 'half-open' && !this.#probing) {
      this.#probing = true;
      return true;
    }
    const waitMs = Math.max(0, this.#openedAt + this.cooldownMs - this.clock.now());
    throw new CircuitOpenError(
      `steady: circuit open after an account-wide failure (${this.#verdict?.reason ?? 'unknown'}); ` +
        (this.#state === 'half-open' ? 'a probe call is in flight' : `next probe allowed in ${waitMs} ms`),
      { verdict: this.#verdict, attempts: 0, cause: undefined },
    );
  }

  /**
   * A call ended: `'ok'` on success, else with its last verdict (undefined when none: an abort, a
   * limiter refusal). An account-wide failure opens the breaker. A probe closes it only when the
   * server answered: success, or a request-scoped failure with a status (the key itself worked);
   * a probe that proved nothing (aborted, timed out, retries exhausted) lets the next call probe.
   */
  settle(probe: boolean, outcome: 'ok' | Verdict | undefined): void {
    if (outcome !== 'ok' && outcome?.action === 'fail' && outcome.scope === 'account') {
      this.#verdict = outcome;
      this.#openedAt = this.clock.now();
      this.#probing = false;
      if (this.#state !== 'open') {
        this.#state = 'open';
        this.emitter.emit('breaker', { state: 'open', verdict: outcome });
      }
      return;
    }
    if (!probe) return;
    this.#probing = false;
    const answered = outcome === 'ok' || (outcome?.action === 'fail' && outcome.status !== undefined);
    if (answered && this.#state === 'half-open') {
      this.#state = 'closed';
      this.emitter.emit('breaker', { state: 'closed' });
    }
  }
}
