/**
 * A non-2xx response, thrown inside the attempt so the policy can classify it. When the policy
 * gives up, the `FatalError` / `RetriesExhaustedError` you receive carries a redacted copy of it as
 * `cause` (`status`, `headers` and `body` with credentials `[redacted]`; its `response` has no
 * body); `(rawCause(err) as HttpError).response` is the response itself.
 */
export class HttpError extends Error {
  override name = 'HttpError' as const;
  readonly status: number;
  readonly headers: Headers;

  constructor(
    readonly response: Response,
    /**
     * The start of the response body as text, at most the policy's `classify.maxBodyBytes` (64 KiB
     * by default): it was read to classify the error, so `response.bodyUsed` is true.
     */
    readonly body: string,
  ) {
    super(`HTTP ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.status = response.status;
    this.headers = response.headers;
  }
}
