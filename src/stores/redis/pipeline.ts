/** Captured at load, so fake timers installed later (tests) do not hold the store's round trips. */
const later: (fn: () => void) => void = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0));
/** A monotonic clock for the round trips, captured at load for the same reason. */
const mono: () => number = performance.now.bind(performance);
/** Round trips the reply lag is the longest of. */
const LAGS = 8;
const noop = () => {};

interface Op {
  /** The reservation id of a reserve; undefined for every other operation. */
  readonly reserve: string | undefined;
  /** The op has a place in the reply (a reserve, an observe). */
  readonly answers: boolean;
  resolve(reply: string | undefined): void;
  reject(err: unknown): void;
}

/**
 * Sends one batch: the ops' arguments at `now`; `late` receives a reply that came after the timeout.
 * `lagMs`: the longest of the last round trips, as this process measured them (see `Pipeline`).
 */
export type SendBatch = (
  args: string[],
  now: number,
  late: (reply: string[]) => void,
  lagMs: number,
) => Promise<string[]>;

/**
 * One round trip for many operations: what the store is asked within one turn of the event loop
 * (a settle, then the reserve of the next queued call it let through; the limiter's batch of queued
 * calls) goes to Redis as one script run (lua.ts), and while that round trip is out, everything
 * asked meanwhile waits to go with the next one. Operations run in the order they were asked.
 *
 * A reserve that Redis admitted only after the store gave up on it (the timeout) is kept there
 * when `adopt` takes it (the call is still held elsewhere: see store.ts), else released.
 *
 * Each round trip is timed, from the send to the moment its answers are handed out: Redis stamps an
 * admission with its `TIME` when the script runs, but the call goes out only when this process has
 * the reply, up to one round trip later (longer on a loaded machine). The longest of the last
 * LAGS round trips goes with the next batch as `lagMs`, which the script adds to its admissions'
 * stamps, so the ledger's window for a call starts no earlier than the call does.
 */
export class Pipeline {
  #args: string[] = [];
  #ops: Op[] = [];
  #now = Number.NEGATIVE_INFINITY;
  #busy = false;
  #scheduled = false;
  /** Queued operations that need a round trip of their own (not the corrections, which ride along). */
  #eager = 0;
  readonly #trips: number[] = [];

  constructor(
    private readonly send: SendBatch,
    private readonly adopt: (rid: string) => boolean,
    /** Round trips timed (lag and corrections); off for a store on the caller's clock (tests). */
    private readonly timed = true,
  ) {}

  /**
   * Queues one operation (its code and arguments, see batch-script.ts); resolves with its answer (a
   * reserve's `ok` or `w <ms> <dim>`, an observe's amount), or undefined for operations without
   * one, once its batch is back.
   */
  push(
    args: readonly string[],
    now: number,
    reserve?: string,
    answers = reserve !== undefined,
  ): Promise<string | undefined> {
    if (now > this.#now) this.#now = now;
    for (const a of args) this.#args.push(a);
    return new Promise((resolve, reject) => {
      this.#ops.push({ reserve, answers, resolve, reject });
      this.#eager++;
      this.#schedule();
    });
  }

  /** Queues an operation that waits for the next round trip instead of starting one. */
  #ride(args: readonly string[]): void {
    for (const a of args) this.#args.push(a);
    this.#ops.push({ reserve: undefined, answers: false, resolve: noop, reject: noop });
  }

  #schedule(): void {
    if (this.#busy || this.#scheduled || this.#eager === 0) return;
    this.#scheduled = true;
    later(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const ops = this.#ops;
    const args = this.#args;
    const now = this.#now;
    this.#ops = [];
    this.#args = [];
    this.#eager = 0;
    this.#busy = true;
    const late = (reply: string[]) => {
      let k = 0;
      for (const op of ops) {
        if (!op.answers) continue;
        const answer = reply[k++];
        if (op.reserve === undefined) continue;
        if (answer === 'ok' && !this.adopt(op.reserve)) this.push(['x', op.reserve], now).catch(() => {});
      }
    };
    const start = mono();
    const lagMs = this.timed ? Math.max(0, ...this.#trips) : 0;
    this.send(args, now, late, lagMs).then(
      (reply) => {
        this.#busy = false;
        if (this.timed) this.#timed(mono() - start, lagMs, ops, reply);
        let k = 0;
        for (const op of ops) op.resolve(op.answers ? reply[k++] : undefined);
        this.#schedule();
      },
      (err: unknown) => {
        this.#busy = false;
        for (const op of ops) op.reject(err);
        this.#schedule();
      },
    );
  }

  /**
   * Keeps the round trip for the next lag; when it took longer than the lag its batch was sent with
   * (a stall the last trips did not foretell), the batch's admissions are moved that much later
   * (`c ms k id×k`), before anything else this process asks about them (their settles).
   */
  #timed(tripMs: number, lagMs: number, ops: readonly Op[], answers: readonly (string | undefined)[]): void {
    this.#trips.push(tripMs);
    if (this.#trips.length > LAGS) this.#trips.shift();
    if (!(tripMs - lagMs > 1)) return;
    const ids: string[] = [];
    let k = 0;
    for (const op of ops) {
      if (!op.answers) continue;
      if (op.reserve !== undefined && answers[k] === 'ok') ids.push(op.reserve);
      k++;
    }
    if (ids.length > 0) this.#ride(['c', (tripMs - lagMs).toFixed(1), String(ids.length), ...ids]);
  }
}
