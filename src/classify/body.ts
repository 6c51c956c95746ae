import { cap, get, isObject, str } from './safe.js';

/** Messages are cut to this many characters. */
export const MAX_MESSAGE_LENGTH = 1_000;
/**
 * How much of a body is looked at (`classify.maxBodyBytes`): bytes of a Buffer / ArrayBuffer,
 * characters of a string. A JSON body cut here no longer parses and is read as text.
 */
export const DEFAULT_MAX_BODY_BYTES = 65_536;

export interface ParsedBody {
  /** The parsed JSON, the text, or the object as given; `undefined` for no body or a stream. */
  body?: unknown;
  message?: string;
}

/**
 * Reads a response body of any shape: a JSON string, a parsed object, a text or HTML string, a
 * Buffer / Uint8Array / ArrayBuffer (decoded as UTF-8). Streams (a fetch `ReadableStream`, a Node
 * stream) cannot be read synchronously and are skipped. At most `maxBytes` of the body are looked
 * at (the work is bounded however large it is); `body` is then what was looked at. Never throws.
 */
export function parseBody(raw: unknown, maxBytes = DEFAULT_MAX_BODY_BYTES): ParsedBody {
  try {
    if (raw === undefined || raw === null || isStream(raw)) return {};
    const text = decode(raw, maxBytes);
    if (text !== undefined) return fromText(cap(text, maxBytes));
    if (isObject(raw)) {
      const message = messageOf(raw);
      return message === undefined ? { body: raw } : { body: raw, message };
    }
    return {};
  } catch {
    return {};
  }
}

function isStream(x: unknown): boolean {
  return typeof get(x, 'getReader') === 'function' || typeof get(x, 'pipe') === 'function';
}

function decode(raw: unknown, maxBytes: number): string | undefined {
  if (typeof raw === 'string') return raw;
  if (raw instanceof ArrayBuffer) return new TextDecoder().decode(raw.slice(0, maxBytes));
  if (ArrayBuffer.isView(raw)) {
    const bytes = new Uint8Array(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, maxBytes));
    return new TextDecoder().decode(bytes);
  }
  return undefined;
}

/** `text` (already capped) as a body and a message. */
function fromText(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed.length === 0) return {};
  const first = trimmed[0];
  if (first === '{' || first === '[' || first === '"') {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'string') return fromText(parsed);
      const message = messageOf(parsed);
      return message === undefined ? { body: parsed } : { body: parsed, message };
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  return { body: text, message: textMessage(trimmed) };
}

/** A text or HTML body as a message: tags dropped, whitespace collapsed, capped. */
function textMessage(text: string): string {
  const head = cap(text, 20 * MAX_MESSAGE_LENGTH);
  const plain = head[0] === '<' ? head.replace(/<[^<>]*>/g, ' ') : head;
  return cap(plain.replace(/\s+/g, ' ').trim(), MAX_MESSAGE_LENGTH);
}

/** A message string trimmed and capped, without scanning more of it than the cap (it may be huge). */
export function messageText(s: string | undefined): string | undefined {
  return s === undefined ? undefined : cap(cap(s, 4 * MAX_MESSAGE_LENGTH).trim(), MAX_MESSAGE_LENGTH);
}

/** `message`, else `error.message` / `error` (a string), else `detail`, from a JSON body. */
function messageOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const error = get(body, 'error');
  const candidates = [
    get(body, 'message'),
    get(error, 'message'),
    error,
    get(body, 'detail'),
    get(get(body, 'detail'), 'message'),
  ];
  for (const c of candidates) {
    const s = messageText(str(c));
    if (s) return s;
  }
  return undefined;
}
