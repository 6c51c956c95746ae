/**
 * A 2xx whose connection drops mid-body, through the real fetch, got and axios: the drop is a
 * failed attempt (`network`), retried, and the caller gets the whole body of the attempt that
 * succeeded, or a steady error; never a success with a cut or missing body.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { constant, createPolicy, RetriesExhaustedError } from '../../src/index.js';
import { type PartialReply, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { setup } from './drop-clients.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const WHOLE = JSON.stringify({
  text: 'x'.repeat(3000),
  usage: { billed_units: { input_tokens: 5, output_tokens: 6 } },
});
/** A 200 head (announcing the whole length, or chunked), the first 1,000 bytes, then the socket destroyed. */
const cut = (announced: boolean): PartialReply => ({
  status: 200,
  chunks: [WHOLE.slice(0, 1000)],
  length: announced ? WHOLE.length : undefined,
  drop: true,
});
const whole: PartialReply = { status: 200, chunks: [WHOLE.slice(0, 1000), WHOLE.slice(1000)], drop: false };

describe.each(['with', 'without'])('a 200 cut short mid-body, %s content-length', (w) => {
  const announced = w === 'with';

  it.each(['fetch', 'got', 'axios'])(
    '%s: retried twice as network, the caller gets the third, whole body',
    async (name) => {
      const { rec, reasons, list } = setup();
      const client = list.find((c) => c.name === name)!;
      server.reply(cut(announced), cut(announced), whole);
      const signal = new AbortController().signal;
      const text = await client.text(`${server.url}/x`, signal);
      expect(text).toBe(WHOLE);
      expect(server.requests).toHaveLength(3);
      expect(reasons).toEqual(['network', 'network']);
      // The server took the cut attempts (2xx head): their estimate stays; the whole one reports 11 tokens.
      expect(rec.reservations.map((r) => [r.how, r.usage])).toEqual([
        ['commit', undefined],
        ['commit', undefined],
        ['commit', { tokens: 11 }],
      ]);
      expect(rec.errors).toEqual([]);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    },
  );

  it.each(['fetch', 'got', 'axios'])(
    '%s: every attempt cut: RetriesExhaustedError (network), no truncated success',
    async (name) => {
      const { list } = setup(3);
      const client = list.find((c) => c.name === name)!;
      server.reply(cut(announced), cut(announced), cut(announced));
      const err = await client.text(`${server.url}/x`).then(
        (text) => ({ resolved: text }),
        (e) => e,
      );
      expect(err).toBeInstanceOf(RetriesExhaustedError);
      expect(err.attempts).toBe(3);
      expect(err.verdict).toMatchObject({ action: 'retry', reason: 'network' });
      expect(server.requests).toHaveLength(3);
    },
  );
});

describe('steady/fetch hands back a Response whose body is complete', () => {
  it('keeps status, headers, url and redirected (also on a clone), its body unread', async () => {
    server.reply(
      { status: 302, headers: { location: '/final' } },
      { status: 200, chunks: ['{"a":', '1}'], drop: false, headers: { 'x-id': '7' } },
    );
    const res = await steadyFetch(createPolicy({ retry: { backoff: constant(1) } }))(`${server.url}/start`);
    expect([res.status, res.statusText, res.headers.get('x-id'), res.bodyUsed]).toEqual([
      200,
      'OK',
      '7',
      false,
    ]);
    expect(res.url).toBe(`${server.url}/final`);
    expect(res.redirected).toBe(true);
    expect(res.clone().url).toBe(`${server.url}/final`);
    expect(await res.json()).toEqual({ a: 1 });
  });

  it('retries a body shorter than its content-length from a fetch that does not check it', async () => {
    // undici always checks (a real drop is tested above); a fetch polyfill may not, so this one is hand-made.
    let calls = 0;
    const lax: typeof fetch = async (input, init) => {
      if (++calls > 1) return fetch(input, init);
      return new Response('{"a":', {
        status: 200,
        headers: { 'content-length': '7', 'content-type': 'application/json' },
      });
    };
    const reasons: string[] = [];
    const policy = createPolicy({
      retry: { backoff: constant(1) },
      on: { retry: (e) => reasons.push(e.verdict.reason) },
    });
    const res = await steadyFetch(policy, lax)(`${server.url}/x`);
    expect(await res.json()).toEqual({ ok: true, n: 1 });
    expect(calls).toBe(2);
    expect(reasons).toEqual(['network']);
  });
});
