import { describe, expect, it } from 'vitest';
import { eventFraming, type Frame, frames } from '../../src/adapters/shared/frames.js';

async function cut(chunks: string[], framing: 'sse' | 'lines' | 'chunks') {
  const out: { text: string; data: unknown }[] = [];
  async function* source() {
    yield* chunks.map((c) => new TextEncoder().encode(c));
  }
  for await (const f of frames(source(), framing) as AsyncIterable<Frame>)
    out.push({ text: new TextDecoder().decode(f.bytes), data: f.data });
  return out;
}

describe('eventFraming', () => {
  it.each([
    ['text/event-stream', 'sse'],
    ['text/event-stream; charset=utf-8', 'sse'],
    ['application/stream+json', 'lines'],
    ['application/x-ndjson', 'lines'],
    ['application/json', undefined],
    ['text/plain', undefined],
    [undefined, undefined],
  ])('%s → %s', (type, want) => {
    expect(eventFraming(type)).toBe(want);
  });
});

describe('frames', () => {
  it('cuts SSE at blank lines (LF or CRLF), across chunk boundaries, bytes unchanged', async () => {
    const out = await cut(
      ['data: {"a":1}\n', '\nevent: x\r\ndata: {"b"', ':2}\r\n\r\ndata: plain\ndata: two\n\n'],
      'sse',
    );
    expect(out).toEqual([
      { text: 'data: {"a":1}\n\n', data: { a: 1 } },
      { text: 'event: x\r\ndata: {"b":2}\r\n\r\n', data: { b: 2 } },
      { text: 'data: plain\ndata: two\n\n', data: 'plain\ntwo' },
    ]);
  });

  it('sends a comment or keep-alive out with the next event, not as one of its own', async () => {
    const out = await cut([': ping\n\n', '\n', 'data: {"a":1}\n\n'], 'sse');
    expect(out).toEqual([{ text: ': ping\n\n\ndata: {"a":1}\n\n', data: { a: 1 } }]);
  });

  it('gives the bytes left at the end as a last event', async () => {
    expect(await cut(['data: {"a":1}\n\ndata: {"b":2}'], 'sse')).toEqual([
      { text: 'data: {"a":1}\n\n', data: { a: 1 } },
      { text: 'data: {"b":2}', data: { b: 2 } },
    ]);
  });

  it('cuts JSON lines at each newline', async () => {
    expect(await cut(['{"a":1}\n{"b"', ':2}\n{"c":3}'], 'lines')).toEqual([
      { text: '{"a":1}\n', data: { a: 1 } },
      { text: '{"b":2}\n', data: { b: 2 } },
      { text: '{"c":3}', data: { c: 3 } },
    ]);
  });

  it('passes plain chunks as they came', async () => {
    expect(await cut(['ab', 'c'], 'chunks')).toEqual([
      { text: 'ab', data: undefined },
      { text: 'c', data: undefined },
    ]);
  });
});
