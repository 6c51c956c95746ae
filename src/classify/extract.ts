import { DEFAULT_MAX_BODY_BYTES, messageText, parseBody } from './body.js';
import { headerView } from './lazy-headers.js';
import type { Outcome } from './outcome.js';
import { responseText } from './response-text.js';
import { get, isObject, str } from './safe.js';

/** How deep the `cause` chain is followed. */
const MAX_CAUSE_DEPTH = 5;

/** Codes that only say "something below failed": the code of a cause says more. */
const WRAPPER_CODES: ReadonlySet<string> = new Set(['ERR_GOT_REQUEST_ERROR', 'ERR_READING_RESPONSE_STREAM']);

/**
 * axios's http adapter reports a connection dropped mid-body as `ERR_BAD_RESPONSE` "stream has
 * been aborted" (the socket's own `ECONNRESET` is lost): read as the reset it is.
 */
const AXIOS_BODY_ABORTED = 'stream has been aborted';

/** Names that only say "an error": the name of a cause says more. */
const WRAPPER_NAMES: ReadonlySet<string> = new Set([
  'Error',
  'TypeError',
  'AggregateError',
  'CohereError',
  'RequestError',
  'AxiosError',
  'FetchError',
  // openai / @anthropic-ai/sdk: a connection error's cause (a reset, a DNS failure) says more.
  'APIConnectionError',
  // The AI SDK: `Cannot connect to API` wraps the network error as its cause.
  'AI_APICallError',
]);

/** Names an error's `name` is only a default for: the constructor's name says more (openai's errors keep `Error`). */
const DEFAULT_NAMES: ReadonlySet<string> = new Set(['Error', 'Object', 'Function']);

/**
 * The facts classification looks at, pulled out of whatever a call produced. Never throws,
 * whatever `x` is (null, a number, a cyclic object, an object whose getters throw).
 *
 * Understood shapes:
 * - a fetch `Response`: status and headers only. Its body is a stream that cannot be read
 *   synchronously, so `message` and `body` stay empty; read the body yourself and pass
 *   `{ status, body, headers }` when the message matters (the fetch adapter does).
 * - a plain `{ status, body?, headers? }` (or `statusCode`, or axios's `{ status, data, headers }`):
 *   `body` may be a JSON string, a parsed object, a text / HTML string or bytes; `headers` a plain
 *   object, a `Headers`, a `Map` or an `AxiosHeaders`.
 * - got's `HTTPError` (`response.statusCode`, `response.body`, `response.headers`) and its other
 *   errors (`code` such as `ETIMEDOUT`; `TimeoutError`, `CancelError`, `AbortError` names).
 * - an `AxiosError` (`response.status`, `response.data`, `response.headers`, `code` such as
 *   `ERR_CANCELED`, `ECONNABORTED`, `ETIMEDOUT`; its "stream has been aborted" mid-body reads as
 *   `ECONNRESET`).
 * - a cohere-ai `CohereError` (`statusCode`, `body`, `rawResponse.headers`) and
 *   `CohereTimeoutError`. `rawResponse.status` is deliberately not read: for an aborted or failed
 *   request the SDK fills it with a made-up 499 or 0, and the real reason is in `cause`.
 * - Node / undici network errors: `code` on the error or down its `cause` chain (undici's
 *   `TypeError: fetch failed` keeps it in `cause.code`); a wrapper code such as got's
 *   `ERR_GOT_REQUEST_ERROR` gives way to its cause's code, a wrapper name (`Error`, `TypeError`,
 *   `CohereError`, …) to its cause's name (`AbortError`, `TimeoutError`).
 * - `AbortError` / `TimeoutError` (DOMException names), and a thrown string (as the message).
 *
 * `message` is the JSON body's `message` (else `error.message`, `error`, `detail`), else the
 * text body trimmed and capped at 1,000 characters; with no response at all, the error's own
 * message.
 *
 * The work is bounded however large the input: at most `maxBodyBytes` of a body are looked at
 * (`body` is then that much of it), and headers are read by name, only those asked for (listing
 * `headers` gives the first 500; see `headerView` for the spellings found in a plain object).
 *
 * @param maxBodyBytes How much of a body to look at. @default 65_536
 */
export function toOutcome(x: unknown, maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES): Outcome {
  try {
    return extract(x, maxBodyBytes);
  } catch {
    return { headers: {}, source: x };
  }
}

function extract(x: unknown, maxBodyBytes: number, depth = 0): Outcome {
  if (typeof x === 'string') return { headers: {}, message: messageText(x), source: x };
  if (!isObject(x)) return { headers: {}, source: x };
  // The AI SDK's RetryError says only "failed after N attempts": its last error is the outcome.
  const last = get(x, 'lastError');
  if (depth < MAX_CAUSE_DEPTH && isObject(last) && Array.isArray(get(x, 'errors'))) {
    return { ...extract(last, maxBodyBytes, depth + 1), source: x };
  }

  const response = get(x, 'response');
  const status = statusOf(x) ?? statusOf(response);
  const fromResponse = isObject(response) && statusOf(response) !== undefined;

  // A response's body counts when it is already read (text, bytes, parsed JSON, or the start of a
  // fetch Response's body that the policy read for classification); a fetch Response's stream does
  // not, and then the error's own copy (e.g. steady/fetch's HttpError.body) is used.
  const responseBody = fromResponse
    ? (responseText(response) ?? get(response, 'data') ?? get(response, 'body'))
    : undefined;
  const rawBody = isReadBody(responseBody)
    ? responseBody
    : (get(x, 'body') ?? get(x, 'data') ?? get(x, 'error') ?? get(x, 'responseBody') ?? responseBody);
  const rawHeaders = fromResponse
    ? get(response, 'headers')
    : (get(x, 'headers') ?? get(x, 'responseHeaders') ?? get(get(x, 'rawResponse'), 'headers'));

  const { body, message: bodyMessage } = parseBody(rawBody, maxBodyBytes);
  const { code, name } = codeAndName(x);
  const ownMessage = messageText(str(get(x, 'message')));
  const message = bodyMessage ?? (status === undefined && ownMessage ? ownMessage : undefined);

  const outcome: Outcome = { headers: headerView(rawHeaders), source: x };
  if (status !== undefined) outcome.status = status;
  if (message !== undefined) outcome.message = message;
  if (code !== undefined) outcome.code = code;
  if (name !== undefined) outcome.name = name;
  if (body !== undefined) outcome.body = body;
  return outcome;
}

/** Only the status and the error code of `x` (no body, no headers read), as {@link toOutcome} finds them. */
export function statusAndCode(x: unknown): { status?: number; code?: string } {
  try {
    if (!isObject(x)) return {};
    const status = statusOf(x) ?? statusOf(get(x, 'response'));
    const { code } = codeAndName(x);
    return { status, code };
  } catch {
    return {};
  }
}

function isReadBody(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v)) return true;
  const proto = isObject(v) ? Object.getPrototypeOf(v) : undefined;
  return proto === Object.prototype || proto === null;
}

/** An HTTP status from `status` or `statusCode` (a number or a 3-digit string), or `undefined`. */
function statusOf(o: unknown): number | undefined {
  for (const key of ['status', 'statusCode']) {
    const v = get(o, key);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : Number.NaN;
    if (Number.isInteger(n) && n >= 100 && n <= 599) return n;
  }
  return undefined;
}

/** The error itself, then its `cause` chain (or an AggregateError's first error), cycle-safe. */
function chain(x: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = x;
  while (isObject(cur) && out.length <= MAX_CAUSE_DEPTH && !out.includes(cur)) {
    out.push(cur);
    const cause = get(cur, 'cause');
    const errors = get(cur, 'errors');
    cur = cause !== undefined ? cause : Array.isArray(errors) ? errors[0] : undefined;
  }
  return out;
}

/** `name`, or the constructor's name when `name` is only `Error` (openai's `APIConnectionTimeoutError`). */
function nameOf(link: unknown): string | undefined {
  const name = str(get(link, 'name'));
  if (name === undefined || !DEFAULT_NAMES.has(name)) return name;
  const ctor = str(get(get(link, 'constructor'), 'name'));
  return ctor && !DEFAULT_NAMES.has(ctor) ? ctor : name;
}

function codeAndName(x: unknown): { code?: string; name?: string } {
  const links = chain(x);
  const codes = links.map((l) => str(get(l, 'code'))).filter((c): c is string => !!c);
  const names = links.map(nameOf).filter((n): n is string => !!n);
  let code = codes.find((c) => !WRAPPER_CODES.has(c)) ?? codes[0];
  if (code === 'ERR_BAD_RESPONSE' && get(x, 'message') === AXIOS_BODY_ABORTED) code = 'ECONNRESET';
  // cohere-ai's own `timeoutInSeconds` aborts with the plain string 'timeout' as the reason, which
  // ends up as the cause of a bare CohereError.
  const timedOut = links.some((l) => get(l, 'cause') === 'timeout');
  const name = timedOut ? 'TimeoutError' : (names.find((n) => !WRAPPER_NAMES.has(n)) ?? names[0]);
  const out: { code?: string; name?: string } = {};
  if (code !== undefined) out.code = code;
  if (name !== undefined) out.name = name;
  return out;
}
