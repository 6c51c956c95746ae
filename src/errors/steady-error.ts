import type { Verdict } from '../classify/verdict.js';
import { keepRaw } from './raw.js';
import { redaction, scrubVerdict, secretsOf } from './redact.js';
import { scrub } from './secrets.js';

export interface SteadyErrorOptions {
  /** The underlying error. The error keeps a redacted copy as `cause`; `rawCause(err)` returns this one. */
  cause?: unknown;
  verdict?: Verdict;
  attempts?: number;
  /**
   * Values to keep out of the message, the verdict and the cause, besides the credentials found in
   * the cause itself: strings, or headers (a record, `Headers`, pairs) whose credential headers count.
   */
  secrets?: readonly unknown[];
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
  /**
   * Always `false`: steady has made every attempt it was allowed, so a client that retries on its
   * own (one that reads `isRetryable`, as the AI SDK's `APICallError` carries it) must not try
   * again. See the README's "Combining steady with a client that retries".
   */
  readonly isRetryable = false as const;

  /**
   * The message, the verdict's message and the `cause` are redacted here, once (see `redact.ts`):
   * no credential header, declared secret or `Bearer …` token reaches them.
   */
  constructor(message: string, options: SteadyErrorOptions = {}) {
    const { cause, secrets: declared } = options;
    const shown = cause === undefined ? undefined : redaction(cause, declared);
    const secrets = shown ? shown.secrets : declared ? secretsOf(undefined, declared) : [];
    super(scrub(message, secrets), shown && { cause: shown.value });
    if (cause !== undefined) keepRaw(this, cause);
    this.verdict = scrubVerdict(options.verdict, secrets);
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
