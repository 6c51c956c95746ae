/**
 * What steady shows is redacted (see `redact.ts`); the raw values behind it are kept here, where no
 * serialiser or inspector can reach them: a WeakMap from what steady gave you to the raw value.
 */
const raws = new WeakMap<object, unknown>();

/** Notes that `shown` (a steady error, a redacted copy, an event) stands for `raw`. */
export function keepRaw(shown: object, raw: unknown): void {
  raws.set(shown, raw);
}

/**
 * The raw error behind something steady gave you, exactly as your call threw it, with its
 * credentials: for a steady error, its `cause` before redaction; for a redacted copy (`err.cause`,
 * a retry event's `error`), the original; for a `retry` event, the error the attempt threw; for a
 * `fail` event, the raw cause of its error. `undefined` when there is none (an error without a
 * cause, a value steady did not make). Treat what it returns as a secret: do not log it.
 *
 * ```ts
 * catch (err) {
 *   const raw = rawCause(err); // got's HTTPError with its options, an AxiosError with its config…
 * }
 * ```
 */
export function rawCause(x: unknown): unknown {
  return x !== null && (typeof x === 'object' || typeof x === 'function') ? raws.get(x) : undefined;
}
