import { get, isObject } from '../classify/safe.js';
import type { Clock } from '../clock.js';
import type { Emitter } from '../hooks/emitter.js';
import type { SteadyLimiter } from './options.js';
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

  /** Reads what an attempt produced (a result or an error). Never throws. */
  observe(outcome: unknown): void {
    try {
      const raw = headersOf(outcome);
      if (raw === undefined) return;
      const now = this.clock.now();
      const reports = this.reader(raw, now);
      if (reports && reports.length > 0) this.#apply(reports, now);
    } catch {
      // A reader or store that throws never breaks the call it observes.
    }
  }

  #apply(reports: readonly ServerLimit[], now: number): void {
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
      const used = limit - Math.min(r.remaining, limit);
      const done = store.observe(r.dimension, used, now);
      if (done && typeof (done as Promise<void>).then === 'function') (done as Promise<void>).catch(() => {});
    }
  }
}
