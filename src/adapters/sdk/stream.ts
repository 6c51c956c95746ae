import { abortReason } from '../../clock.js';
import type { AttemptContext } from '../../policy/options.js';
import { tokensOf } from './call.js';
import { follow } from './follow.js';
import { closeQuietly, guardedStream, readHead } from './guarded-stream.js';
import type { MethodInfo, Settings } from './options.js';
import { ResponsePromise, toRaw, type WithRawResponse } from './response-promise.js';

function asyncIteratorOf(x: unknown): AsyncIterator<unknown> | undefined {
  const open = (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator];
  return typeof open === 'function' ? (open.call(x) as AsyncIterator<unknown>) : undefined;
}

/** One attempt: open the stream and read its head; the rest is read by the consumer, outside the loop. */
async function openStream(
  settings: Settings,
  method: MethodInfo,
  args: readonly unknown[],
  ctx: AttemptContext,
  callerSignal: AbortSignal | undefined,
): Promise<WithRawResponse<unknown>> {
  const controller = new AbortController();
  const unfollow = follow(ctx.signal, controller);
  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const raw = await toRaw(
      method.fn.apply(method.owner, settings.args.forAttempt(args, controller.signal, method)),
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

/**
 * A stream method under the policy. The attempt opens the stream and reads its first event (after
 * any start events): a failure before it (an HTTP error on open, a dropped connection, an in-band
 * error event, an empty stream) is retried, and the consumer never sees the failed attempt's
 * events. After that, the stream is the consumer's: see `guardedStream` for what happens then.
 */
export function wrapStreamMethod(
  settings: Settings,
  method: MethodInfo,
): (...args: unknown[]) => ResponsePromise<unknown> {
  const { policy, args: callArgs } = settings;
  return (...args) => {
    const signal = callArgs.signalOf(args, method);
    const inner = policy.run((ctx) => openStream(settings, method, args, ctx, signal), {
      tokens: tokensOf(settings, args),
      signal,
      usageOf: (r: { data: unknown }) => r.data,
      secrets: settings.secrets,
    });
    return new ResponsePromise(inner);
  };
}
