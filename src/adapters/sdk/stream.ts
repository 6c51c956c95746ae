import { abortReason } from '../../clock.js';
import type { AttemptContext } from '../../policy/options.js';
import type { WithRawResponse } from '../../presets/sdk-profile.js';
import { follow } from './follow.js';
import { closeQuietly, guardedStream, readHead } from './guarded-stream.js';
import type { MethodInfo, Settings } from './options.js';

function asyncIteratorOf(x: unknown): AsyncIterator<unknown> | undefined {
  const open = (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator];
  return typeof open === 'function' ? (open.call(x) as AsyncIterator<unknown>) : undefined;
}

/**
 * One attempt of a call that streams: open the stream and read its first event (after any start
 * events). A failure before it (an HTTP error on open, a dropped connection, an in-band error
 * event, an empty stream) fails the attempt, so it is retried and the consumer never sees the
 * failed attempt's events. After that, the stream is the consumer's, outside the loop: see
 * `guardedStream` for what happens then.
 */
export async function openStream(
  settings: Settings,
  method: MethodInfo,
  args: readonly unknown[],
  ctx: AttemptContext,
  callerSignal: AbortSignal | undefined,
): Promise<WithRawResponse> {
  const controller = new AbortController();
  const unfollow = follow(ctx.signal, controller);
  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const raw = await settings.settle(
      method.fn.apply(method.owner, settings.args.forAttempt(args, controller.signal, method)),
      method,
    );
    iterator = asyncIteratorOf(raw.data);
    if (!iterator) {
      // Not a stream after all: a plain result, settled by the loop like any call's.
      unfollow();
      return raw;
    }
    const head = await readHead(iterator, settings.events);
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    unfollow();
    const reservation = ctx.takeReservation();
    const data = guardedStream({
      settings,
      iterator,
      head,
      controller,
      reservation,
      callerSignal,
      attempt: ctx.attempt,
    });
    return { data, rawResponse: raw.rawResponse };
  } catch (err) {
    unfollow();
    controller.abort();
    if (iterator) closeQuietly(iterator);
    throw err;
  }
}
