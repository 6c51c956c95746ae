/**
 * An in-band stream failure: the stream said it failed (Cohere's `message-end` with `delta.error`
 * and `finish_reason: 'ERROR'`), or it stopped before its end marker. It carries `status: 499` and
 * the message Cohere sends for the same failure out of band ("streaming error - …"), so every
 * classifier retries it: the Cohere preset as `stream-error`, the generic HTTP rules as `cancelled`.
 * A rule of your own can match it by `name`.
 */
export class StreamEventError extends Error {
  override name = 'StreamEventError' as const;
  /** Cohere's status for a broken stream. There was no such HTTP response: the stream itself said so. */
  readonly status = 499;
  readonly body: { message: string };

  constructor(message: string) {
    const text = /^streaming error\b/i.test(message) ? message : `streaming error - ${message}`;
    super(text);
    this.body = { message: text };
  }
}
