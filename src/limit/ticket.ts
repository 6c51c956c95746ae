import type { LimiterReservation, ThrottleInfo } from './options.js';
import { CALLS } from './store.js';
import type { Cost } from './types.js';

/** What a ticket reports back to its limiter. */
export interface TicketOwner {
  /** Settles with reported usage (the owner learns from it). */
  commit(id: string, cost: Cost, actual: Partial<Record<string, number>>): void;
  settle(id: string, actual: Partial<Record<string, number>>): void;
  release(id: string): void;
}

/**
 * One admitted reservation. The first of `commit`, `refund` or `cancel` settles it; later calls do
 * nothing, so a settle that races another is harmless.
 */
export class Ticket implements LimiterReservation {
  #open = true;

  constructor(
    private readonly owner: TicketOwner,
    /** The store's id for this reservation. */
    readonly id: string,
    private readonly cost: Cost,
    readonly throttle: ThrottleInfo | undefined,
  ) {}

  /**
   * Settles with the usage the server reported: named dimensions replace their estimate (the
   * difference is refunded or charged), others keep it. Values that are not finite numbers ≥ 0 are
   * ignored (the estimate stands).
   */
  commit(actual?: Partial<Record<string, number>>): void {
    if (!this.#close()) return;
    this.owner.commit(this.id, this.cost, actual ?? {});
  }

  /**
   * The server did not bill this attempt (429, 5xx, a network error): every dimension but `calls`
   * goes back. The call itself stays counted, because a server that answered counted it; use
   * `cancel()` when the request never left the process.
   */
  refund(): void {
    if (!this.#close()) return;
    const actual: Record<string, number> = {};
    for (const d of Object.keys(this.cost)) if (d !== CALLS) actual[d] = 0;
    this.owner.settle(this.id, actual);
  }

  /** The request never reached the server: everything goes back, `calls` included. */
  cancel(): void {
    if (this.#close()) this.owner.release(this.id);
  }

  #close(): boolean {
    const was = this.#open;
    this.#open = false;
    return was;
  }
}
