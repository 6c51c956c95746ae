/**
 * A stream cut after its first event, with the key in every request header: the
 * `StreamInterruptedError` each HTTP adapter fails the stream with shows no credential, though the
 * raw error under it (got's `ReadError`, with its options) carries them.
 */
import { inspect } from 'node:util';
import axios from 'axios';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import { cohere, constant, createPolicy, rawCause, StreamInterruptedError } from '../../src/index.js';
import { instantClock } from '../helpers/doubles.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { drain } from './drop-clients.js';

const KEY = 'sk-live-7d1e0c55aa93b2f4e6c1';
const headers = { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, cookie: `session=${KEY}` };

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const sse = (data: { type: string; [k: string]: unknown }) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
// A start event, then the first content: only content makes the stream "started".
const HEAD =
  sse({ type: 'message-start', id: 'm1' }) +
  sse({ type: 'content-delta', delta: { message: { content: { text: 'Hel' } } } });

const shown = (x: unknown) =>
  [JSON.stringify(x) ?? '', inspect(x, { depth: Number.POSITIVE_INFINITY }), (x as Error).stack ?? ''].join(
    '\n',
  );

function open(name: 'fetch' | 'got' | 'axios'): (url: string) => Promise<AsyncIterable<Uint8Array | string>> {
  const policy = createPolicy({ ...cohere(), clock: instantClock(), retry: { backoff: constant(1) } });
  if (name === 'got') {
    const api = got.extend({ headers }, gotPolicy(policy));
    return async (url) => api.stream(url);
  }
  if (name === 'axios') {
    const ax = axios.create({ headers });
    attachPolicy(ax, policy);
    return async (url) => (await ax.get(url, { responseType: 'stream' })).data;
  }
  const f = steadyFetch(policy);
  return async (url) => (await f(url, { headers })).body as unknown as AsyncIterable<Uint8Array>;
}

describe.each(['fetch', 'got', 'axios'] as const)('%s: a stream cut after its first event', (name) => {
  it('fails with a StreamInterruptedError that shows no credential', async () => {
    server.reply({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'set-cookie': `session=${KEY}` },
      chunks: [HEAD],
      drop: true,
    });
    const { text, error } = await drain(await open(name)(`${server.url}/v2/chat`));
    expect(text).toBe(HEAD);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error.chunksDelivered).toBe(2);
    expect(shown(error)).not.toContain(KEY);
    // got keeps the request's headers on its raw ReadError: the redaction had work to do.
    if (name === 'got') expect(shown(rawCause(error))).toContain(KEY);
  });
});
