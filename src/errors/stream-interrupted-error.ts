import { SteadyError, type SteadyErrorOptions } from './steady-error.js';

export interface StreamInterruptedErrorOptions extends SteadyErrorOptions {
  /** Events the consumer had received when the stream broke. */
  chunksDelivered: number;
}

/**
 * A stream broke after its consumer had received events from it: a network error, an in-band
 * error event (Cohere's `message-end` with `delta.error`), or an end without the end marker. It is
 * never retried: a second attempt would glue two different answers together. `cause` is what
 * broke it (undefined for an early end), `verdict` what the policy makes of that cause.
 */
export class StreamInterruptedError extends SteadyError {
  override name = 'StreamInterruptedError' as const;
  override readonly code = 'ERR_STREAM_INTERRUPTED' as const;
  /** Events the consumer had received when the stream broke (start events included). */
  readonly chunksDelivered: number;

  constructor(message: string, options: StreamInterruptedErrorOptions) {
    super(message, options);
    this.chunksDelivered = options.chunksDelivered;
  }
}
