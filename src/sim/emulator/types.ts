import type { Clock } from '../../clock.js';

/** A key's quota: calls and tokens per (scaled) minute. */
export interface KeyLimits {
  callsPerMinute: number;
  tokensPerMinute: number;
  /**
   * Which wording the 429 messages use: Cohere words them differently for trial and production keys.
   * @default 'production'
   */
  plan?: 'trial' | 'production';
}

/** How the server counts a key's usage over the window. */
export type LimitAlgorithm = 'rolling' | 'fixed' | 'bucket';

/** HTTP statuses the emulator can inject, each with a default message from Cohere's catalogue. */
export type FaultStatus = 400 | 401 | 402 | 404 | 429 | 499 | 500 | 502 | 503 | 504 | 529;

/** Which API the emulator speaks. */
export type Provider = 'cohere' | 'openai' | 'anthropic';

/**
 * One failure, injected into one request.
 * - `{ status }`: answer with that status and `{ "message": … }` (default message from the catalogue);
 *   `retryAfterSeconds` adds a `Retry-After` header (useful with 429).
 * - `'reset'`: destroy the socket (TCP RST) without any response.
 * - `{ delayMs }`: answer normally, `delayMs` (scaled by `timeScale`) later than usual.
 * - `{ streamFailAfter: n }`: a stream sends `n` content deltas, then fails: `mode: 'event'` (default)
 *   ends it with a `message-end` whose `delta.error` is set and `finish_reason` is `ERROR` (what Cohere
 *   does; OpenAI: a `data: {"error": …}` frame; Anthropic: `event: error`); `mode: 'destroy'` destroys
 *   the socket mid-body. `errorType` is the in-band error's `type` for OpenAI and Anthropic (default
 *   `server_error` / `overloaded_error`; `invalid_request_error` for one that is not retried).
 *   Non-stream requests are answered normally.
 * - `{ streamEndEarly: n }`: a stream sends `n` deltas then ends cleanly without `message-end`.
 */
export type ScriptedFault =
  | { status: FaultStatus; message?: string; retryAfterSeconds?: number }
  | 'reset'
  | { delayMs: number }
  | { streamFailAfter: number; mode?: 'event' | 'destroy'; message?: string; errorType?: string }
  | { streamEndEarly: number };

/** Random failure injection. */
export interface FaultOptions {
  /** Probability in [0, 1] that a request draws a fault. */
  rate: number;
  /**
   * The faults drawn from, uniformly.
   * @default [{status:500},{status:502},{status:503},{status:504},{status:499},'reset']
   */
  kinds?: ScriptedFault[];
}

export interface EmulatorOptions {
  /**
   * The API it speaks: `'cohere'` (`/v2/chat`, `/v1/chat`, `/v2/embed`, `/v1/embed`; `{ message }` errors),
   * `'openai'` (`/v1/chat/completions`; `{ error: { message, type, code } }`, `x-ratelimit-*` headers,
   * SSE ending in `[DONE]`) or `'anthropic'` (`/v1/messages`; key in `x-api-key`; `{ type: 'error',
   * error }`, `anthropic-ratelimit-*` headers, the Messages stream events). Limits, faults and stats
   * work the same for all three.
   * @default 'cohere'
   */
  provider?: Provider;
  /** @default 0 (an ephemeral port); the host is always 127.0.0.1 */
  port?: number;
  /**
   * How long an idle connection stays open, in real ms (sent as `Keep-Alive: timeout=…`, which
   * fetch and got's agents follow). 0: until the client closes it.
   * @default 65_000, about a load balancer's usual idle timeout (Node's own 5 s would close every
   * connection between the bursts of a scaled window, and each burst would open new ones)
   */
  keepAliveMs?: number;
  /**
   * Accepted API keys (sent as `Authorization: Bearer KEY`) and their limits.
   * `'trial'` = 40 calls / 100,000 tokens a minute; `'production'` = 500 calls / 2,000,000 tokens.
   * @default { 'test-key': 'trial' }
   */
  keys?: Record<string, 'trial' | 'production' | KeyLimits>;
  /** Divides every window, latency and delay: 10 makes a "minute" last 6 s. @default 1 */
  timeScale?: number;
  /** @default 'rolling' */
  limitAlgorithm?: LimitAlgorithm;
  /** Latency added to every response, before scaling; a range is drawn from uniformly (seeded). @default 0 */
  latencyMs?: number | { min: number; max: number };
  /** Random failures (seeded). @default none */
  faults?: FaultOptions;
  /** Seed of every random draw the emulator makes. @default 1 */
  seed?: number;
  /** Send `Retry-After` (whole seconds, rounded up) on the emulator's own 429s. @default true */
  retryAfterHeader?: boolean;
  /** Time source for windows and delays. @default systemClock */
  clock?: Clock;
}

/** What the server saw for one key. */
export interface KeyStats {
  /** Requests answered 200 (the only ones charged). */
  accepted: number;
  rateLimited: { calls: number; tokens: number };
  tokensBilled: number;
  /** Most accepted requests whose arrivals fell in any one rolling window. */
  maxCallsInAnyWindow: number;
  /** Most tokens billed to requests whose arrivals fell in any one rolling window. */
  maxTokensInAnyWindow: number;
}

export interface EmulatorStats {
  /** Every request received, whatever its fate. */
  requests: number;
  byPath: Record<string, number>;
  /** Statuses sent (a `'reset'` sends none). A stream that fails mid-body counts as its 200. */
  byStatus: Record<number, number>;
  /** Injected faults by kind: `'500'`, `'429'`, `'reset'`, `'delay'`, `'streamFailAfter'`, `'streamEndEarly'`. */
  byFault: Record<string, number>;
  /** The emulator's own 429s, by the dimension that was exceeded (calls wins when both are). */
  rateLimited: { calls: number; tokens: number };
  accepted: number;
  tokensBilled: number;
  /** The largest of the keys' figures. */
  maxCallsInAnyWindow: number;
  maxTokensInAnyWindow: number;
  byKey: Record<string, KeyStats>;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: the SDK's `environment` / the base URL. */
  url: string;
  /** The window length in real milliseconds (60,000 / timeScale). */
  windowMs: number;
  stats(): EmulatorStats;
  /** Clears stats, ledgers and queued faults, and re-seeds the random draws. */
  reset(): void;
  /** Queues faults for the next requests that pass authentication, first in first out, one per request. */
  inject(...faults: ScriptedFault[]): void;
  /** Closes the server and every open socket, and clears every timer. */
  close(): Promise<void>;
}
