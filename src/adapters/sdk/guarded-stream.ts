import type { RetryVerdict } from '../../classify/verdict.js';
import { abortReason } from '../../clock.js';
import { StreamEventError } from '../../errors/stream-event-error.js';
import { StreamInterruptedError } from '../../errors/stream-interrupted-error.js';
import type { Reservation } from '../../limit/types.js';
import type { StreamEvents } from '../../presets/sdk-profile.js';
import type { Settings } from './options.js';

/** What the guard needs of the adapter's settings: the policy, how events read, their usage. */
export type StreamSettings = Pick<Settings, 'policy' | 'events' | 'usage'> &
  Partial<Pick<Settings, 'secrets'>>;

/** What the attempt read before handing the stream over. */
export interface Head {
  events: unknown[];
  /** The stream ended within the head (a stream with nothing but start events, allowed by `cutShort`). */
  done: boolean;
}

export interface GuardedStreamState {
  settings: StreamSettings;
  iterator: AsyncIterator<unknown>;
  head: Head;
  /** Aborts the request: the consumer stopped, the stream failed, or the caller aborted. */
  controller: AbortController;
  /** The attempt's limiter reservation, settled once when the stream is over. */
  reservation: Reservation;
  callerSignal: AbortSignal | undefined;
  attempt: number;
}

/** Start events held back at most, before the head is handed over anyway. */
const MAX_HEAD = 32;

/** Reads start events and the first other event. A failure here is an attempt's failure: it is retried. */
export async function readHead(iterator: AsyncIterator<unknown>, events: StreamEvents): Promise<Head> {
  const held: unknown[] = [];
  for (;;) {
    const r = await iterator.next();
    if (r.done) {
      if (events.cutShort(held[0])) throw new StreamEventError('the stream ended before its first event');
      return { events: held, done: true };
    }
    const kind = events.kind(r.value);
    if (kind instanceof Error) throw kind;
    held.push(r.value);
    if (kind !== 'start' || held.length >= MAX_HEAD) return { events: held, done: false };
  }
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
    secrets: s.settings.secrets,
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
 *
 * A hand-written iterator rather than the generator itself: `return()` / `throw()` on a generator
 * that has not started never runs its body (nor its `finally`), so a stream dropped before its
 * first `next()`, or aborted by the caller then, would keep its request and reservation open.
 */
export function guardedStream(s: GuardedStreamState): AsyncIterableIterator<unknown, void, undefined> {
  return new GuardedStream(s);
}

class GuardedStream implements AsyncIterableIterator<unknown, void, undefined> {
  private readonly body: AsyncGenerator<unknown, void, undefined>;
  private started = false;
  /** Calls of `next` / `return` / `throw` in progress: the generator's own `finally` will settle. */
  private pending = 0;
  private settled = false;
  private exhausted: boolean;
  private ended = false;
  private usage: Partial<Record<string, number>> | undefined;

  constructor(private readonly s: GuardedStreamState) {
    this.exhausted = s.head.done;
    this.body = this.events();
    const { callerSignal } = s;
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  next(): Promise<IteratorResult<unknown, void>> {
    this.started = true;
    return this.track(this.body.next());
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<unknown, void>> {
    if (!this.started) this.finish();
    return this.track(this.body.return(value));
  }

  throw(error?: unknown): Promise<IteratorResult<unknown, void>> {
    if (!this.started) this.finish();
    return this.track(this.body.throw(error));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Aborts the request (the stream then ends): Stainless's `Stream.controller`, which its stream helpers read. */
  get controller(): AbortController {
    return this.s.controller;
  }

  /** Aborts the request; settles now unless a call is in progress (its `finally` settles then). */
  private readonly onCallerAbort = () => {
    this.s.controller.abort(abortReason(this.s.callerSignal!));
    if (this.pending === 0) this.finish();
  };

  private async track(
    result: Promise<IteratorResult<unknown, void>>,
  ): Promise<IteratorResult<unknown, void>> {
    this.pending++;
    try {
      return await result;
    } finally {
      this.pending--;
    }
  }

  /** Once: stops listening, aborts and closes an unfinished request, settles the reservation. */
  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    const { s } = this;
    s.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.exhausted) {
      s.controller.abort();
      closeQuietly(s.iterator);
    }
    if (this.ended) s.reservation.commit(this.usage);
    else s.reservation.commit();
  }

  private see(event: unknown): void {
    const { settings } = this.s;
    if (settings.events.kind(event) !== 'end') return;
    this.ended = true;
    try {
      this.usage = settings.usage(event) ?? this.usage;
    } catch {
      // A reader that throws reports nothing: the estimate (or an earlier end event's usage) stands.
    }
  }

  private async *events(): AsyncGenerator<unknown, void, undefined> {
    const { s } = this;
    const { settings, iterator, callerSignal } = s;
    let delivered = 0;
    try {
      for (const event of s.head.events) {
        if (callerSignal?.aborted) throw abortReason(callerSignal);
        this.see(event);
        delivered++;
        yield event;
      }
      while (!this.exhausted) {
        let r: IteratorResult<unknown>;
        try {
          if (callerSignal?.aborted) throw abortReason(callerSignal);
          r = await iterator.next();
        } catch (err) {
          if (callerSignal?.aborted) throw abortReason(callerSignal);
          if (this.ended) break;
          throw interrupted(s, delivered, err);
        }
        if (r.done) {
          this.exhausted = true;
          if (!this.ended && settings.events.cutShort(s.head.events[0]))
            throw interrupted(s, delivered, undefined);
          break;
        }
        const kind = settings.events.kind(r.value);
        if (kind instanceof Error) {
          if (this.ended) break;
          throw interrupted(s, delivered, kind);
        }
        if (callerSignal?.aborted) throw abortReason(callerSignal);
        this.see(r.value);
        delivered++;
        yield r.value;
      }
    } finally {
      this.finish();
    }
  }
}
