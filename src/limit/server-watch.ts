import { get, isObject } from '../classify/safe.js';
import type { Clock } from '../clock.js';
import type { Emitter } from '../hooks/emitter.js';
import type { SteadyLimiter } from './options.js';
import { isThenable, type LimiterStore, type MaybePromise } from './store.js';
import type { Limiter, LimitSpec, Limits } from './types.js';

/**
 * Limits from the server's own headers. After every response (success or error) the policy hands
 * what the attempt produced to a `ServerWatch`: it reads the rate-limit headers with the preset's
 * reader and
 * - learns the limits the policy was not given (from then on they are enforced, seeded with what
 *   the server says is used),
 * - corrects the ledger at once when the server's `remaining` says the key is more used than the
 *   ledger counts (another client on the same key), so the next calls wait instead of drawing 429s,
 * - emits `limits` when the server reports a limit other than the one enforced.
 */

/** One dimension, in steady's names, as a server reports it. */
export interface ServerLimit {
  /** steady's dimension: `calls`, `tokens`. */
  dimension: string;
  limit?: number;
  remaining?: number;
  resetMs?: number;
  /** The window the server's limit is per (one minute for OpenAI and Anthropic). */
  windowMs: number;
}

/** Reads a response's headers (any shape `normalizeHeaders` takes) into steady's dimensions. */
export type ServerLimitsReader = (headers: unknown, now: number) => readonly ServerLimit[] | undefined;

/** Where the policy keeps its limiter: the watch replaces it when it learns a limit. */
export interface LimiterHost {
  limiter: SteadyLimiter | Limiter | undefined;
}

/** Builds the limiter for `limits` (the given ones and the learned ones); undefined when it cannot. */
export type Rebuild = (limits: Limits) => SteadyLimiter | undefined;

/** The headers of a result or error: its own, its response's (got, axios), its raw response's (cohere-ai). */
export function headersOf(x: unknown): unknown {
  if (!isObject(x)) return undefined;
  return (
    get(x, 'headers') ??
    get(get(x, 'response'), 'headers') ??
    get(get(x, 'rawResponse'), 'headers') ??
    get(x, 'responseHeaders') ??
    get(get(x, 'lastError'), 'responseHeaders')
  );
}

export class ServerWatch {
  readonly #learned: Record<string, LimitSpec> = {};
  /** The last limit reported per dimension, so `limits` is emitted once per new figure. */
  readonly #told = new Map<string, number>();
  /** Per dimension, the lead kept over the server's count while another client spends on the key. */
  readonly #others = new Map<string, { lead: number; until: number; charges: [number, number][] }>();
  /** Where the policy keeps its limiter (set once the policy exists). */
  host: LimiterHost | undefined;

  constructor(
    private readonly reader: ServerLimitsReader,
    /** The limits the policy was given (the shared ones, with endpoints). */
    private readonly configured: Limits,
    /** Undefined when limits cannot be learned (a store of your own keeps the limits it was bound with). */
    private readonly rebuild: Rebuild | undefined,
    private readonly clock: Clock,
    private readonly emitter: Emitter,
  ) {}

  /**
   * Reads what an attempt produced (a result or an error). `sentAt`: when the attempt started (the
   * server's count is taken after it; the ledger's own admissions since are left out). Never throws.
   */
  observe(outcome: unknown, sentAt?: number): void {
    try {
      const raw = headersOf(outcome);
      if (raw === undefined) return;
      const now = this.clock.now();
      const reports = this.reader(raw, now);
      if (reports && reports.length > 0) this.#apply(reports, now, sentAt);
    } catch {
      // A reader or store that throws never breaks the call it observes.
    }
  }

  #apply(reports: readonly ServerLimit[], now: number, sentAt: number | undefined): void {
    let changed = false;
    for (const r of reports) {
      const { dimension, limit, windowMs } = r;
      if (limit === undefined || !(limit > 0) || !Number.isFinite(limit)) continue;
      const given = this.configured[dimension];
      if (given === undefined && this.rebuild && this.#learned[dimension]?.limit !== limit) {
        this.#learned[dimension] = { limit, windowMs };
        changed = true;
      }
      const enforced = given?.limit ?? this.#learned[dimension]?.limit;
      if (this.#told.get(dimension) !== limit && enforced !== undefined) {
        this.#told.set(dimension, limit);
        const learned = given === undefined;
        if (learned || given.limit !== limit)
          this.emitter.emit('limits', {
            dimension,
            configured: given?.limit,
            reported: limit,
            windowMs,
            learned,
          });
      }
    }
    if (changed) {
      const next = this.rebuild!({ ...this.configured, ...this.#learned });
      if (next && this.host) this.host.limiter = next;
    }
    const limiter = this.host?.limiter as SteadyLimiter | undefined;
    const store = limiter?.store;
    if (!store?.observe) return;
    for (const r of reports) {
      if (r.remaining === undefined || !(r.remaining >= 0)) continue;
      const limit = r.limit ?? this.configured[r.dimension]?.limit ?? this.#learned[r.dimension]?.limit;
      if (limit === undefined) continue;
      this.#correct(
        store as Required<Pick<LimiterStore, 'observe'>> & LimiterStore,
        r,
        limit - Math.min(r.remaining, limit),
        limit,
        now,
        sentAt,
      );
    }
  }

  /**
   * Charges the ledger up to what the server counts (as of `sentAt`: the ledger's own admissions
   * since are not in the server's count), and keeps room free while another client is seen spending
   * on the key: its pace over the last window, growing until the next answer (and, when `sentAt` is
   * unknown or the store cannot use it, the most it spent between two of our answers, for one window after it was last seen,
   * at most a tenth of the limit). Without that room, the other client's next calls
   * take what the ledger still shows free, and ours meet 429s.
   */
  #correct(
    store: Required<Pick<LimiterStore, 'observe'>> & Pick<LimiterStore, 'observesAsOf'>,
    r: ServerLimit,
    used: number,
    limit: number,
    now: number,
    sentAt: number | undefined,
  ): void {
    const { dimension, windowMs } = r;
    const seen = this.#others.get(dimension) ?? { lead: 0, until: 0, charges: [] };
    this.#others.set(dimension, seen);
    const { charges } = seen;
    while (charges.length > 0 && charges[0]![0] <= now - windowMs) charges.shift();
    if (seen.until <= now) seen.lead = 0;
    // The other client's pace over the last window: the room its unseen calls take grows with it.
    const perMs = () => charges.reduce((sum, c) => sum + c[1], 0) / windowMs;
    // Knowing when the attempt was sent, a ledger that honours it compares like with like and catches
    // up on every answer: the pace alone is kept free. Otherwise the most the other spent unseen too.
    const lead = () => (sentAt !== undefined && store.observesAsOf ? 0 : seen.lead);
    const answer = store.observe(dimension, used, now, lead(), perMs(), sentAt);
    settle(answer, (charged) => {
      if (!(charged > 0)) return;
      if (charges.length < 1_000) charges.push([now, charged]);
      seen.lead = Math.min(Math.max(seen.lead, Math.ceil(charged)), Math.max(1, Math.floor(limit / 10)));
      seen.until = now + windowMs;
      // The room kept free, with this charge in it: at once from a store that answers at once; an
      // asynchronous one (Redis) would pay a round trip for it, and takes it with the next answer's
      // observe instead (which charges nothing twice).
      if (!isThenable(answer)) store.observe(dimension, used, now, lead(), perMs(), sentAt);
    });
  }
}

/** Calls `then` with a store's answer, sync or async; a store error is dropped. */
function settle(answer: MaybePromise<number>, then: (charged: number) => void): void {
  if (isThenable(answer)) answer.then(then, () => {});
  else then(answer);
}
