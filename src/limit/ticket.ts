import { isCallDimension } from './endpoints.js';
import type { LimiterReservation, ThrottleInfo } from './options.js';
import type { Cost } from './types.js';

/** What a commit that reports no usage settles with. */
export const NONE: Partial<Record<string, number>> = Object.freeze({});

/** What a ticket reports back to its limiter. */
export interface TicketOwner {
  /** Settles with reported usage (the owner learns from it). */
  commit(ticket: Ticket, actual: Partial<Record<string, number>>): void;
  settle(ticket: Ticket, actual: Partial<Record<string, number>>): void;
  release(ticket: Ticket): void;
}

/**
 * One admitted reservation. The first of `commit`, `refund` or `cancel` settles it; later calls do
 * nothing, so a settle that races another is harmless.
 */
export class Ticket implements LimiterReservation {
  #open = true;

  constructor(
    private readonly owner: TicketOwner,
    /** The store's id for this reservation; undefined when it was made on the fast path, by `held`. */
    readonly id: string | undefined,
    readonly cost: Cost,
    readonly throttle: ThrottleInfo | undefined,
    /** The default store's own handle for a reservation made on the fast path (no id, no lookup). */
    readonly held?: unknown,
    /**
     * What the ledger holds for a fast-path reservation (`cost` with headroom); `cost` itself when
     * nothing was added, and then a commit that reports nothing changes nothing.
     */
    readonly hold?: Cost,
    /** The clock time of a fast-path admission (the call starts in the same tick); NaN otherwise. */
    readonly at = Number.NaN,
  ) {}

  /**
   * Settles with the usage the server reported: named dimensions replace their estimate (the
   * difference is refunded or charged), others keep it. Values that are not finite numbers ≥ 0 are
   * ignored (the estimate stands).
   */
  commit(actual?: Partial<Record<string, number>>): void {
    if (!this.#close()) return;
    this.owner.commit(this, actual ?? NONE);
  }

  /**
   * The server did not bill this attempt (429, 5xx, a network error): every dimension but `calls`
   * goes back. The call itself stays counted, because a server that answered counted it; use
   * `cancel()` when the request never left the process.
   */
  refund(): void {
    if (!this.#close()) return;
    const actual: Record<string, number> = {};
    for (const d of Object.keys(this.cost)) if (!isCallDimension(d)) actual[d] = 0;
    this.owner.settle(this, actual);
  }

  /** The request never reached the server: everything goes back, `calls` included. */
  cancel(): void {
    if (this.#close()) this.owner.release(this);
  }

  #close(): boolean {
    const was = this.#open;
    this.#open = false;
    return was;
  }
}
