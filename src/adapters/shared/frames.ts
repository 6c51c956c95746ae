/**
 * A streamed HTTP body cut into the events it carries, so a guard can count and read them while
 * the bytes pass through unchanged.
 * - `sse` (`text/event-stream`): an event ends at a blank line (`\n\n` or `\r\n\r\n`; a lone `\r`
 *   as line end is not recognised). Its `data:` lines, joined, are parsed as JSON when they are JSON.
 * - `lines` (`application/x-ndjson`, `application/stream+json`, `application/jsonl`, as Cohere's v1
 *   streams): one JSON value a line.
 * - `chunks` (any other body): each chunk as the connection gave it.
 */
export type Framing = 'sse' | 'lines' | 'chunks';

/** One event: its bytes as received, and what it says (undefined for a plain chunk). */
export interface Frame {
  bytes: Uint8Array;
  data: unknown;
}

const LINES = /^application\/(?:x-ndjson|stream\+json|jsonl|x-jsonlines)\b/i;

/** The framing of a streamed body by its content type; `undefined` when it is not an event stream. */
export function eventFraming(contentType: unknown): 'sse' | 'lines' | undefined {
  if (typeof contentType !== 'string') return undefined;
  const type = contentType.trim();
  if (/^text\/event-stream\b/i.test(type)) return 'sse';
  return LINES.test(type) ? 'lines' : undefined;
}

const LF = 0x0a;
const CR = 0x0d;

/** The end (exclusive) of the first whole event in `buf`, or -1. */
function eventEnd(buf: Uint8Array, framing: 'sse' | 'lines'): number {
  let lineLength = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === LF) {
      if (framing === 'lines' || lineLength === 0) return i + 1;
      lineLength = 0;
    } else if (b !== CR) lineLength++;
  }
  return -1;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What an event says: the JSON (or text) of its `data:` lines, or its line; undefined when it says nothing. */
function dataOf(bytes: Uint8Array, framing: 'sse' | 'lines'): unknown {
  const text = new TextDecoder().decode(bytes);
  if (framing === 'lines') return text.trim() === '' ? undefined : parse(text.trim());
  const data: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return data.length === 0 ? undefined : parse(data.join('\n'));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const toBytes = (chunk: unknown): Uint8Array =>
  typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);

/**
 * The events of `source`. An event that says nothing (a comment, a keep-alive, a blank line) is
 * not one of its own: its bytes go out with the next event, so it neither counts as the stream's
 * first event nor as a delivered one. Bytes left when the source ends go out as a last event.
 */
export async function* frames(source: AsyncIterable<unknown>, framing: Framing): AsyncGenerator<Frame> {
  if (framing === 'chunks') {
    for await (const chunk of source) yield { bytes: toBytes(chunk), data: undefined };
    return;
  }
  let buffered: Uint8Array = new Uint8Array(0);
  let pending = 0; // bytes at the start of `buffered` from events that said nothing
  for await (const chunk of source) {
    buffered = concat(buffered, toBytes(chunk));
    for (;;) {
      const end = eventEnd(buffered.subarray(pending), framing);
      if (end < 0) break;
      const data = dataOf(buffered.subarray(pending, pending + end), framing);
      if (data === undefined) {
        pending += end;
        continue;
      }
      const bytes = buffered.slice(0, pending + end);
      buffered = buffered.slice(pending + end);
      pending = 0;
      yield { bytes, data };
    }
  }
  if (buffered.length > 0) {
    const rest = buffered.subarray(pending);
    yield { bytes: buffered, data: rest.length > 0 ? dataOf(rest, framing) : undefined };
  }
}
