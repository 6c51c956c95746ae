import { Readable } from 'node:stream';
import { abortReason } from '../../clock.js';
import type { AttemptContext } from '../../policy/options.js';
import type { Policy } from '../../policy/policy.js';
import type { StreamEvents } from '../../presets/sdk-profile.js';
import { wireStreamEvents } from '../../presets/wire-events.js';
import { closeQuietly, guardedStream, readHead } from '../sdk/guarded-stream.js';
import { type Frame, type Framing, frames } from './frames.js';

/** A plain byte stream has no start, no end marker and no in-band errors: every chunk is data. */
const CHUNKS: StreamEvents = Object.freeze({ kind: () => 'data' as const, cutShort: () => false });

/** An event stream's frames read as the SDK adapter reads a stream's events (any provider's: see `wireStreamEvents`). */
const EVENTS: StreamEvents = Object.freeze({
  kind: (f: unknown) => {
    const { data } = f as Frame;
    return data === undefined ? 'data' : wireStreamEvents.kind(data);
  },
  cutShort: (f: unknown) => {
    const frame = f as Frame | undefined;
    return wireStreamEvents.cutShort(frame === undefined ? undefined : frame.data);
  },
});

export interface GuardBodyOptions {
  policy: Policy;
  /** The attempt's response body (a Node `Readable`, a web `ReadableStream`, any async iterable of bytes). */
  body: AsyncIterable<unknown>;
  framing: Framing;
  ctx: AttemptContext;
  /** Aborts the attempt's request: the consumer stopped, the stream failed, or the caller aborted. */
  controller: AbortController;
  /** The caller's own signal: it aborts the stream with its reason. */
  callerSignal: AbortSignal | undefined;
}

/**
 * Inside the attempt: reads a streamed response body up to its first event, then hands the rest
 * over, with the SDK adapter's rule (`guardedStream`). A drop, an in-band error event or an empty
 * event stream before the first event fails the attempt (so the policy retries it and the
 * consumer never sees its bytes); after it, a failure ends the stream with
 * `StreamInterruptedError` (its `chunksDelivered` the events, or chunks, delivered), never a raw
 * socket error, never another attempt's bytes. The attempt's reservation is taken over and settled
 * when the stream is over, with the usage its end event reports.
 *
 * The bytes come out as they came in, a whole event at a time for event streams.
 */
export async function guardBody(o: GuardBodyOptions): Promise<AsyncIterableIterator<Uint8Array>> {
  const { policy, ctx, controller } = o;
  const events = o.framing === 'chunks' ? CHUNKS : EVENTS;
  const iterator = frames(o.body, o.framing);
  let head: Awaited<ReturnType<typeof readHead>>;
  try {
    head = await readHead(iterator, events);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
  } catch (err) {
    controller.abort();
    closeQuietly(iterator);
    throw err;
  }
  const guarded = guardedStream({
    settings: { policy, events, usage: (f) => policy.usage((f as Frame).data) },
    iterator,
    head,
    controller,
    reservation: ctx.takeReservation(),
    callerSignal: o.callerSignal,
    attempt: ctx.attempt,
  });
  return bytesOf(guarded);
}

/** The frames' bytes. Hand-written, not a generator: `return()` must reach the guard even before the first `next()`. */
function bytesOf(guarded: AsyncIterableIterator<unknown>): AsyncIterableIterator<Uint8Array> {
  const map = (r: IteratorResult<unknown>): IteratorResult<Uint8Array> =>
    r.done ? { done: true, value: undefined } : { done: false, value: (r.value as Frame).bytes };
  const it: AsyncIterableIterator<Uint8Array> = {
    next: () => guarded.next().then(map),
    return: () => guarded.return!().then(map),
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

/** A Node `Readable` of the bytes; destroying it stops the stream (and aborts the request). */
export function toReadable(body: AsyncIterableIterator<Uint8Array>): Readable {
  return Readable.from(body, { objectMode: false });
}

/** A web `ReadableStream` of the bytes; cancelling it stops the stream (and aborts the request). */
export function toWebStream(body: AsyncIterableIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const r = await body.next();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    async cancel() {
      await body.return?.();
    },
  });
}
