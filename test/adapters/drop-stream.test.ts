/**
 * Streamed bodies through the real fetch (a `text/event-stream` response), got (`.stream()`) and
 * axios (`responseType: 'stream'`), with the SDK adapter's rule: a drop or an in-band error before
 * the first event is retried; after it, `StreamInterruptedError` with `chunksDelivered`; never a
 * raw socket error, never two attempts' bytes glued together.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetriesExhaustedError, StreamInterruptedError } from '../../src/index.js';
import { type PartialReply, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { drain, setup } from './drop-clients.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const sse = (data: { type: string; [k: string]: unknown }) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const START = sse({ type: 'message-start', id: 'm1' });
const delta = (text: string) => sse({ type: 'content-delta', delta: { message: { content: { text } } } });
const END = sse({
  type: 'message-end',
  delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 3, output_tokens: 4 } } },
});
const FAILED = sse({ type: 'message-end', delta: { error: 'internal error', finish_reason: 'ERROR' } });
const events = (chunks: string[], drop: boolean): PartialReply => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  chunks,
  drop,
});
const CLEAN = [START, delta('Hel'), delta('lo'), END];

describe.each(['fetch', 'got', 'axios'] as const)('%s: an SSE stream', (name) => {
  const open = (maxAttempts?: number) => {
    const s = setup(maxAttempts);
    return { ...s, client: s.list.find((c) => c.name === name)! };
  };

  it('dropped before its first event (mid-event, then after a start event): retried; the third attempt whole', async () => {
    const { client, rec, reasons } = open();
    server.reply(events([START.slice(0, 20)], true), events([START], true), events(CLEAN, false));
    const signal = new AbortController().signal;
    const { text, error } = await drain(await client.stream(`${server.url}/v2/chat`, signal));
    expect(error).toBeUndefined();
    expect(text).toBe(CLEAN.join(''));
    expect(server.requests).toHaveLength(3);
    expect(reasons).toEqual(['network', 'network']);
    expect(rec.reservations.at(-1)).toMatchObject({ how: 'commit', usage: { tokens: 7 } });
    expect(rec.open()).toBe(0);
    expect(rec.errors).toEqual([]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('an in-band error before its first event: retried as stream-error', async () => {
    const { client, reasons } = open();
    server.reply(events([START, FAILED], false), events(CLEAN, false));
    const { text, error } = await drain(await client.stream(`${server.url}/v2/chat`));
    expect(error).toBeUndefined();
    expect(text).toBe(CLEAN.join(''));
    expect(server.requests).toHaveLength(2);
    expect(reasons).toEqual(['stream-error']);
  });

  it('dropped after two events: StreamInterruptedError, chunksDelivered 2, those bytes only, no retry', async () => {
    const { client, rec } = open();
    server.reply(events([START, delta('Hel')], true));
    const signal = new AbortController().signal;
    const { text, error } = await drain(await client.stream(`${server.url}/v2/chat`, signal));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ code: 'ERR_STREAM_INTERRUPTED', chunksDelivered: 2, attempts: 1 });
    expect(error.verdict).toMatchObject({ action: 'retry', reason: 'network' });
    expect(text).toBe(START + delta('Hel'));
    expect(server.requests).toHaveLength(1);
    expect(rec.reservations).toMatchObject([{ how: 'commit', usage: undefined }]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('an in-band error after the first event: StreamInterruptedError, the error event withheld', async () => {
    const { client } = open();
    server.reply(events([START, delta('Hel'), FAILED], false));
    const { text, error } = await drain(await client.stream(`${server.url}/v2/chat`));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.chunksDelivered).toBe(2);
    expect(error.verdict).toMatchObject({ action: 'retry', reason: 'stream-error' });
    expect(text).toBe(START + delta('Hel'));
    expect(server.requests).toHaveLength(1);
  });

  it('dropped before its first event on every attempt: RetriesExhaustedError, no raw socket error', async () => {
    const { client } = open(2);
    server.reply(events([], true), events([START.slice(0, 10)], true));
    const error = await client.stream(`${server.url}/v2/chat`).then(drain, (e) => ({ text: '', error: e }));
    expect(error.text).toBe('');
    expect(error.error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.error.verdict).toMatchObject({ reason: 'network' });
    expect(server.requests).toHaveLength(2);
  });

  it("the caller's abort mid-stream: rejects with its reason, the reservation settled once", async () => {
    const { client, rec } = open();
    server.reply(events([START, ...Array.from({ length: 40 }, () => delta('.')), END], false));
    const ac = new AbortController();
    const reason = new Error('stop');
    let chunks = 0;
    const { error } = await drain(await client.stream(`${server.url}/v2/chat`, ac.signal), () => {
      if (++chunks === 2) ac.abort(reason);
    });
    expect(error).toBe(reason);
    expect(chunks).toBe(2);
    // Settled once the aborted request has closed, a few ticks after the reader's rejection.
    await vi.waitFor(() => expect(rec.reservations).toMatchObject([{ how: 'commit' }]), {
      timeout: 1000,
      interval: 5,
    });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});

describe.each(['got', 'axios'] as const)('%s: a streamed body that is not an event stream', (name) => {
  const BODY = 'y'.repeat(500);
  const plain = (chunks: string[], drop: boolean): PartialReply => ({ status: 200, chunks, drop });

  it('dropped before its first byte: retried; dropped after it: StreamInterruptedError (chunks delivered)', async () => {
    const { list, reasons } = setup();
    const client = list.find((c) => c.name === name)!;
    server.reply(plain([], true), plain([BODY, BODY], false));
    expect(await drain(await client.stream(`${server.url}/file`))).toEqual({
      text: BODY + BODY,
      error: undefined,
    });
    expect(reasons).toEqual(['network']);

    server.reply(plain([BODY], true));
    const { text, error } = await drain(await client.stream(`${server.url}/file`));
    expect(text).toBe(BODY);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.chunksDelivered).toBe(1);
    expect(server.requests).toHaveLength(3);
  });
});
