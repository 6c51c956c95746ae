import { Readable } from 'node:stream';
import got, { type Options, type Request } from 'got';
import { abortReason } from '../../clock.js';
import type { Policy } from '../../policy/policy.js';
import { attemptOptions, callerSignalOf, follow, tokensOf } from './shared.js';

/** The events got's stream emits that the returned stream passes on, from every attempt. */
const PROXIED = ['request', 'response', 'redirect', 'uploadProgress', 'downloadProgress'] as const;

/** Methods that never carry a body: got ends those requests itself. */
const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * One `got.stream()` call under the policy. The policy waits for the limiter, sends the request
 * and classifies everything up to the response head: an HTTP error status (with its Retry-After),
 * a reset or timeout before the head arrived. Those attempts are retried. Once a 2xx head has
 * arrived the call has succeeded and the body flows into the returned stream as it comes: an error
 * after that point (a reset mid-body) destroys the stream and is not retried, since bytes have
 * already reached the reader. The reservation is committed at the head with the estimate.
 *
 * The returned stream is a `Readable` carrying got's events (`response`, `downloadProgress`, …),
 * not got's duplex `Request`: the body must come from `body`, `json` or `form` (it is sent again on
 * each attempt), not be piped in. Destroying it, or the caller's `signal`, aborts the call.
 */
export function streamUnderPolicy(policy: Policy, options: Options): Readable {
  const { controller, unlink } = follow(callerSignalOf(options));
  let source: Request | undefined;
  const out = new Readable({
    read: () => {
      source?.resume();
    },
    destroy: (error, callback) => {
      unlink();
      source?.destroy();
      if (!controller.signal.aborted && !out.readableEnded) controller.abort(error ?? undefined);
      callback(error);
    },
  });
  controller.signal.addEventListener('abort', () => out.destroy(abortReason(controller.signal) as Error), {
    once: true,
  });

  policy
    .run(
      ({ signal }) =>
        new Promise<Request>((resolve, reject) => {
          const request = got(undefined, undefined, attemptOptions(options, signal)) as Request;
          for (const event of PROXIED) request.on(event, (...args: unknown[]) => out.emit(event, ...args));
          request.on('error', (error) => (source === request ? out.destroy(error) : reject(error)));
          request.once('response', () => {
            if (signal.aborted) return; // this attempt already lost (timed out): its body is not ours
            source = request;
            forward(request, out, unlink);
            resolve(request);
          });
          const { body, json, form, method } = options;
          if (body === undefined && json === undefined && form === undefined && !NO_BODY.has(method))
            request.end();
        }),
      { signal: controller.signal, tokens: tokensOf(policy, options) },
    )
    .catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/**
 * Moves the body of the winning attempt into `out`, attached in got's own 'response' handler:
 * a reader that starts on the proxied 'response' (`s.on('response', () => s.pipe(dest))`) sets
 * `out` flowing, and `read()` resumes `request`, before `policy.run` has settled, so any chunk
 * not caught here would be lost. Backpressure as with `pipe`: a full `out` pauses `request`,
 * the next `read()` resumes it.
 */
function forward(request: Request, out: Readable, unlink: () => void): void {
  request.on('data', (chunk) => {
    if (!out.push(chunk)) request.pause();
  });
  request.once('end', () => {
    unlink();
    out.push(null);
  });
}
