/**
 * A server that echoes the key (in its message, the credential headers it got, a cookie it sets):
 * nothing steady/otel records — span names, attributes, statuses, events, metric points — shows it.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import got from 'got';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import { constant, createPolicy, FatalError, type Policy, rawCause } from '../../src/index.js';
import { instrument } from '../../src/telemetry/otel/index.js';
import { instantClock } from '../helpers/doubles.js';
import { type ReplyFn, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { type Otel, setupOtel } from './otel-setup.js';

const KEY = 'sk-live-3c9f1e2a7b6d4058a1e2';
const credentials = { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, cookie: `session=${KEY}` };

let otel: Otel;
let server: ScriptedServer;
beforeAll(async () => {
  otel = setupOtel();
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
  await otel.shutdown();
});
afterEach(() => otel.reset());

const echo =
  (status: number, headers: Record<string, string> = {}): ReplyFn =>
  (req) => ({
    status,
    headers: { 'set-cookie': `session=${KEY}; HttpOnly`, ...headers },
    body: {
      message: `invalid api token ${KEY}`,
      authorization: req.headers.authorization ?? null,
      apiKey: req.headers['x-api-key'] ?? null,
      cookie: req.headers.cookie ?? null,
    },
  });

/** 429, 500, then 401: three attempt spans, the last one fatal. */
const script = () => server.reply(echo(429, { 'retry-after': '0' }), echo(500), echo(401));

function instrumented(): Policy {
  const policy = createPolicy({ clock: instantClock(), retry: { maxAttempts: 5, backoff: constant(0) } });
  instrument(policy, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
  return policy;
}

/** Everything a span exporter would send of a span. */
const shown = (s: ReadableSpan) =>
  JSON.stringify({
    name: s.name,
    attributes: s.attributes,
    status: s.status,
    events: s.events,
    links: s.links,
  });

async function expectNoKey(err: unknown): Promise<void> {
  expect(err).toBeInstanceOf(FatalError);
  expect(JSON.stringify(rawCause(err)) + String((rawCause(err) as Error).message)).toContain(KEY); // the control
  const spans = otel.spans();
  expect(spans.map((s) => [s.name, s.attributes['error.type'] ?? null])).toEqual([
    ['steady.attempt', '429'],
    ['steady.attempt', '500'],
    ['steady.attempt', '401'],
    ['steady.call', 'ERR_FATAL'],
  ]);
  for (const s of spans) {
    expect(s.status.code).toBe(SpanStatusCode.ERROR);
    expect(shown(s)).not.toContain(KEY);
  }
  const call = spans.at(-1)!;
  expect(call.status.message).toBe('steady: unauthorized (HTTP 401): invalid api token [redacted]');
  expect(JSON.stringify([...(await otel.metrics()).values()])).not.toContain(KEY);
}

describe('steady/otel shows no credential', () => {
  it('got: the HTTPError (its options hold the headers) is redacted before a span sees it', async () => {
    const api = got.extend({ prefixUrl: server.url, headers: credentials }, gotPolicy(instrumented()));
    script();
    await expectNoKey(await api.post('v2/chat', { json: { model: 'm' } }).catch((e: unknown) => e));
  });

  it('steadyFetch: the headers it declares as secrets are scrubbed from the messages', async () => {
    const fetchCohere = steadyFetch(instrumented());
    script();
    const err = await fetchCohere(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: { ...credentials, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    }).catch((e: unknown) => e);
    await expectNoKey(err);
  });

  it('a plain error thrown by fn with the key in its message: scrubbed with RunOptions.secrets', async () => {
    const policy = createPolicy({ retry: { maxAttempts: 1 } });
    instrument(policy, { tracerProvider: otel.tracerProvider });
    const err = await policy
      .run(() => Promise.reject(Object.assign(new Error(`401 for key ${KEY}`), { status: 401 })), {
        secrets: [KEY],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    const spans = otel.spans();
    expect(spans).toHaveLength(2);
    for (const s of spans) expect(shown(s)).not.toContain(KEY);
    expect(spans[0]!.status.message).toContain('401 for key [redacted]');
  });
});
