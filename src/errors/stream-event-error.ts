/**
 * An in-band stream failure: the stream said it failed (Cohere's `message-end` with `delta.error`
 * and `finish_reason: 'ERROR'`, OpenAI's `response.failed`), or it stopped before its end marker.
 * By default it carries `status: 499` and the message Cohere sends for the same failure out of band
 * ("streaming error - …"), so every classifier retries it: the Cohere preset as `stream-error`, the
 * generic HTTP rules as `cancelled`. A provider's own error body (`{ error: { type, code } }`) can
 * be given instead, with no status: its preset then decides by the type, as for a streamed
 * `APIError`. A rule of your own can match it by `name`.
 */
export class StreamEventError extends Error {
  override name = 'StreamEventError' as const;
  /** Cohere's status for a broken stream, unless a provider body was given. There was no such HTTP response: the stream itself said so. */
  readonly status: number | undefined;
  readonly body: unknown;

  constructor(message: string, options: { body?: unknown } = {}) {
    const own = options.body !== undefined;
    const text = own || /^streaming error\b/i.test(message) ? message : `streaming error - ${message}`;
    super(text);
    this.status = own ? undefined : 499;
    this.body = own ? options.body : { message: text };
  }
}
