import type { RetryVerdict } from '../../classify/verdict.js';
import { abortReason } from '../../clock.js';
import { StreamInterruptedError } from '../../errors/stream-interrupted-error.js';
import type { Reservation } from '../../limit/types.js';
import type { Settings } from './options.js';

/** What the attempt read before handing the stream over. */
export interface Head {
  events: unknown[];
  /** The stream ended within the head (a stream with nothing but start events, allowed by `cutShort`). */
  done: boolean;
}

export interface GuardedStreamState {
  settings: Settings;
  iterator: AsyncIterator<unknown>;
  head: Head;
  /** Aborts the request: the consumer stopped, the stream failed, or the caller aborted. */
  controller: AbortController;
  /** The attempt's limiter reservation, settled once when the stream is over. */
  reservation: Reservation;
  callerSignal: AbortSignal | undefined;
  attempt: number;
}

const STREAM_ERROR: RetryVerdict = Object.freeze({ action: 'retry', reason: 'stream-error' }) as RetryVerdict;

/** `iterator.return()`, ignoring whatever it throws or rejects with. */
export function closeQuietly(iterator: AsyncIterator<unknown>): void {
  try {
    iterator.return?.()?.catch(() => {});
  } catch {
    // A broken iterator has nothing left to release.
  }
}

function interrupted(s: GuardedStreamState, delivered: number, cause: unknown): StreamInterruptedError {
  const why =
    cause === undefined
      ? 'it ended without its end event'
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return new StreamInterruptedError(`steady: the stream broke after ${delivered} events: ${why}`, {
    cause,
    verdict: cause === undefined ? STREAM_ERROR : s.settings.policy.classify(cause),
    attempts: s.attempt,
    chunksDelivered: delivered,
  });
}

/**
 * The stream the consumer reads: the head, then the rest of the same attempt's events, never
 * another attempt's. A failure after the head (a thrown error, an in-band error event, an end
 * without the end event) rejects the consumer's `next()` with `StreamInterruptedError`; a failure
 * after the end event is ignored (the answer was complete). The caller's signal aborts it with its
 * own reason.
 *
 * The reservation is settled exactly once, when the stream is over: committed with the usage the
 * end event reports; committed with the estimate when it ends any other way (a failure, the
 * consumer stopping early with `break` / `return()`, the caller's abort), since the server had
 * accepted the request and may bill what it generated. Stopping early aborts the request.
 */
export async function* guardedStream(s: GuardedStreamState): AsyncGenerator<unknown, void, undefined> {
  const { settings, iterator, controller, callerSignal } = s;
  const { events } = settings;
  let delivered = 0;
  let ended = false;
  let exhausted = s.head.done;
  let usage: Partial<Record<string, number>> | undefined;
  const onCallerAbort = () => controller.abort(abortReason(callerSignal!));
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const see = (event: unknown) => {
    if (events.kind(event) !== 'end') return;
    ended = true;
    try {
      usage = settings.usage(event);
    } catch {
      usage = undefined;
    }
  };
  try {
    for (const event of s.head.events) {
      if (callerSignal?.aborted) throw abortReason(callerSignal);
      see(event);
      delivered++;
      yield event;
    }
    while (!exhausted) {
      let r: IteratorResult<unknown>;
      try {
        if (callerSignal?.aborted) throw abortReason(callerSignal);
        r = await iterator.next();
      } catch (err) {
        if (callerSignal?.aborted) throw abortReason(callerSignal);
        if (ended) break;
        throw interrupted(s, delivered, err);
      }
      if (r.done) {
        exhausted = true;
        if (!ended && events.cutShort(s.head.events[0])) throw interrupted(s, delivered, undefined);
        break;
      }
      const kind = events.kind(r.value);
      if (kind instanceof Error) {
        if (ended) break;
        throw interrupted(s, delivered, kind);
      }
      if (callerSignal?.aborted) throw abortReason(callerSignal);
      see(r.value);
      delivered++;
      yield r.value;
    }
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
    if (!exhausted) {
      controller.abort();
      closeQuietly(iterator);
    }
    if (ended) s.reservation.commit(usage);
    else s.reservation.commit();
  }
}
