/**
 * In-process simulated rate-limited servers (plain objects, no HTTP) for the limiter's conformance
 * tests. Each counts calls and tokens per key at the time a request ARRIVES and answers `ok` or 429.
 * A 429 is not counted. Tokens are the request's real usage, billed at arrival.
 *
 * `tokenCheck` says when the token limit refuses a request:
 * - `debt` (default): only when the window has already reached the limit; the request that crosses
 *   the limit is served and billed in full (what a server does when it learns the real usage only
 *   while serving the request).
 * - `strict`: when this request's tokens would take the window over the limit.
 */

export interface ServerLimits {
  calls: number;
  tokens: number;
  windowMs: number;
  tokenCheck?: 'debt' | 'strict';
}

export interface Arrival {
  time: number;
  tokens: number;
}

export type Answer = 'ok' | 429;

export abstract class SimServer {
  /** Every request served, in arrival order. */
  readonly served: Arrival[] = [];
  rejected = 0;

  constructor(protected readonly limits: ServerLimits) {}

  arrive(now: number, tokens: number, key = 'key'): Answer {
    const ok = this.admit(now, tokens, key);
    if (ok) this.served.push({ time: now, tokens });
    else this.rejected++;
    return ok ? 'ok' : 429;
  }

  protected tokensFit(used: number, tokens: number): boolean {
    return this.limits.tokenCheck === 'strict'
      ? used + tokens <= this.limits.tokens
      : used < this.limits.tokens;
  }

  protected abstract admit(now: number, tokens: number, key: string): boolean;
}

/** Counts what arrived in the rolling window (now − windowMs, now]. */
export class RollingWindowServer extends SimServer {
  readonly #keys = new Map<string, Arrival[]>();

  protected admit(now: number, tokens: number, key: string): boolean {
    const list = this.#keys.get(key) ?? [];
    this.#keys.set(key, list);
    while (list.length > 0 && list[0]!.time <= now - this.limits.windowMs) list.shift();
    const used = list.reduce((s, a) => s + a.tokens, 0);
    if (list.length + 1 > this.limits.calls || !this.tokensFit(used, tokens)) return false;
    list.push({ time: now, tokens });
    return true;
  }
}

/** Counts per fixed window [k·windowMs, (k+1)·windowMs), reset at each boundary. */
export class FixedWindowServer extends SimServer {
  readonly #keys = new Map<string, { window: number; calls: number; tokens: number }>();

  protected admit(now: number, tokens: number, key: string): boolean {
    const window = Math.floor(now / this.limits.windowMs);
    let s = this.#keys.get(key);
    if (!s || s.window !== window) {
      s = { window, calls: 0, tokens: 0 };
      this.#keys.set(key, s);
    }
    if (s.calls + 1 > this.limits.calls || !this.tokensFit(s.tokens, tokens)) return false;
    s.calls++;
    s.tokens += tokens;
    return true;
  }
}

/** A continuous token bucket per dimension: capacity = limit, refilled at limit per windowMs, starts full. */
export class TokenBucketServer extends SimServer {
  readonly #keys = new Map<string, { calls: number; tokens: number; last: number }>();

  protected admit(now: number, tokens: number, key: string): boolean {
    const { calls: cCap, tokens: tCap, windowMs } = this.limits;
    const s = this.#keys.get(key) ?? { calls: cCap, tokens: tCap, last: now };
    this.#keys.set(key, s);
    const dt = now - s.last;
    s.last = now;
    s.calls = Math.min(cCap, s.calls + (dt * cCap) / windowMs);
    s.tokens = Math.min(tCap, s.tokens + (dt * tCap) / windowMs);
    // the bucket's "used" is what is missing from it
    if (s.calls < 1 || !this.tokensFit(tCap - s.tokens, tokens)) return false;
    s.calls -= 1;
    s.tokens -= tokens;
    return true;
  }
}
