/** What happened to each call, as the strategies report it. */

/** One retry: when it was decided, why, and the wait before the next attempt. */
export interface RetryFact {
  at: number;
  reason: string;
  delayMs: number;
}

export interface CallRecord {
  id: number;
  arrivedAt: number;
  /** When the first attempt was sent. */
  startedAt?: number;
  settledAt?: number;
  attempts: number;
  retries: RetryFact[];
  /** Waits for the client's limiter: dimension and length. */
  throttles: { dimension: string; waitedMs: number }[];
  /** `'ok'`, or the failure's code (`ERR_RETRIES_EXHAUSTED`, …). */
  outcome?: string;
}

export function newRecord(id: number, arrivedAt: number): CallRecord {
  return { id, arrivedAt, attempts: 0, retries: [], throttles: [] };
}

/** A rejection's stable code: a SteadyError's `code`, else the error's name. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}
