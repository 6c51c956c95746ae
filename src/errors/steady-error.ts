import type { Verdict } from '../classify/verdict.js';

export interface SteadyErrorOptions {
  cause?: unknown;
  verdict?: Verdict;
  attempts?: number;
}

/**
 * The base of every error steady throws. `code` is stable across versions; match on it (or on
 * `instanceof`, or on `name` across two installed copies of steady) rather than on the message.
 */
export class SteadyError extends Error {
  override name: string = 'SteadyError';
  readonly code: string = 'ERR_STEADY';
  /** The last verdict, when the error follows a classification. */
  readonly verdict: Verdict | undefined;
  /** How many attempts were made (attempt 1 is the first call). */
  readonly attempts: number;

  constructor(message: string, options: SteadyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.verdict = options.verdict;
    this.attempts = options.attempts ?? 0;
  }
}

/** True for any steady error, including one thrown by another installed copy of steady. */
export function isSteadyError(err: unknown): err is SteadyError {
  return (
    err instanceof SteadyError ||
    (err instanceof Error &&
      typeof (err as { code?: unknown }).code === 'string' &&
      'attempts' in err &&
      'verdict' in err)
  );
}
