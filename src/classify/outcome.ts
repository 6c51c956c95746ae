/**
 * An Outcome is what classification looks at: the facts pulled out of whatever a call produced
 * (a fetch Response, got's HTTPError, an AxiosError, a CohereError, a Node network error, an
 * AbortError, a plain `{ status, body, headers }`), in one shape.
 */
export interface Outcome {
  /** HTTP status, when there was a response. */
  status?: number;
  /** The server's message: the JSON body's `message` field, or a text body. */
  message?: string;
  /** Response headers, names lower-cased. Empty when there were none. */
  headers: Readonly<Record<string, string>>;
  /** A Node / undici error code (`ECONNRESET`, `UND_ERR_SOCKET`, `ERR_CANCELED`, …). */
  code?: string;
  /** The error's `name` (`AbortError`, `TimeoutError`, …). */
  name?: string;
  /** The parsed body, when there was one. */
  body?: unknown;
  /** What the outcome was extracted from. */
  source: unknown;
}
