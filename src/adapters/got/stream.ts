import { Readable } from 'node:stream';
import got, { type Options, type Request, type Response } from 'got';
import { abortReason } from '../../clock.js';
import type { Policy } from '../../policy/policy.js';
import { eventFraming } from '../shared/frames.js';
import { guardBody } from '../shared/guarded-body.js';
import { attemptOptions, callerSignalOf, follow, tokensOf } from './shared.js';

/** got's stream events passed on from every attempt. */
const EVERY_ATTEMPT = ['request', 'redirect', 'uploadProgress'] as const;

/** Methods that never carry a body: got ends those requests itself. */
const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * One `got.stream()` call under the policy. The policy waits for the limiter, sends the request
 * and classifies everything up to the body's first event: an HTTP error status (with its
 * Retry-After), a reset or timeout before the head, and a drop (or, for an event stream, an
 * in-band error event) after a 2xx head but before the first event. Those attempts are retried and
 * their bytes never reach the reader. From the first event on, the body is the reader's: a failure
 * then destroys the stream with `StreamInterruptedError` (`chunksDelivered`), never a raw socket
 * error, and is not retried. See `guardBody` for how events are told apart (SSE, JSON lines, or
 * plain chunks).
 *
 * The returned stream is a `Readable` carrying got's events (`response` and `downloadProgress` of
 * the winning attempt only; `request`, `redirect` and `uploadProgress` of every attempt), not got's
 * duplex `Request`: the body must come from `body`, `json` or `form` (it is sent again on each
 * attempt), not be piped in. Destroying it, or the caller's `signal`, aborts the call.
 */
export function streamUnderPolicy(policy: Policy, options: Options): Readable {
  const { controller, unlink } = follow(callerSignalOf(options));
  let body: AsyncIterableIterator<Uint8Array> | undefined;
  let pumping = false;

  const pump = async (): Promise<void> => {
    if (!body || pumping) return;
    pumping = true;
    try {
      for (;;) {
        const r = await body.next();
        if (r.done) {
          unlink();
          out.push(null);
          return;
        }
        if (!out.push(r.value)) return;
      }
    } catch (error) {
      out.destroy(error as Error);
    } finally {
      pumping = false;
    }
  };

  const out = new Readable({
    read: () => {
      void pump();
    },
    destroy: (error, callback) => {
      unlink();
      body?.return?.().catch(() => {});
      if (!controller.signal.aborted && !out.readableEnded) controller.abort(error ?? undefined);
      callback(error);
    },
  });
  controller.signal.addEventListener('abort', () => out.destroy(abortReason(controller.signal) as Error), {
    once: true,
  });

  policy
    .run(
      (ctx) =>
        new Promise<Response>((resolve, reject) => {
          // The request outlives the attempt: its own controller, which the guard aborts when done.
          const attempt = follow(ctx.signal);
          const request = got(
            undefined,
            undefined,
            attemptOptions(options, attempt.controller.signal),
          ) as Request;
          for (const event of EVERY_ATTEMPT)
            request.on(event, (...args: unknown[]) => out.emit(event, ...args));
          request.on('error', (error) => {
            attempt.unlink();
            reject(error);
          });
          request.once('response', (response: Response) => {
            if (ctx.signal.aborted) return; // this attempt already lost (timed out): its body is not ours
            const framing = eventFraming(response.headers['content-type']) ?? 'chunks';
            guardBody({
              policy,
              body: request,
              framing,
              ctx,
              controller: attempt.controller,
              callerSignal: controller.signal,
            }).then(
              (guarded) => {
                attempt.unlink();
                body = guarded;
                request.on('downloadProgress', (progress) => out.emit('downloadProgress', progress));
                out.emit('response', response);
                resolve(response);
                void pump();
              },
              (error: unknown) => {
                attempt.unlink();
                reject(error);
              },
            );
          });
          const { body: requestBody, json, form, method } = options;
          if (requestBody === undefined && json === undefined && form === undefined && !NO_BODY.has(method))
            request.end();
        }),
      { signal: controller.signal, tokens: tokensOf(policy, options) },
    )
    .catch((error: unknown) => out.destroy(error as Error));
  return out;
}
