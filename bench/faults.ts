/**
 * `npm run bench -- faults`: what a caller gets under the faults of issue 11's table, measured on
 * this tree against local servers on 127.0.0.1. Not a speed benchmark: counts of outcomes.
 *
 * - a 2xx whose connection drops mid-body (7 % of 10,000 calls per adapter, 50 at a time)
 * - an SSE stream dropped before its first event (7 % of 1,000 streams per adapter)
 * - a server that echoes the key (401 with the key in its body and a cookie): where it shows
 * - long hints, an asctime `Retry-After` under another time zone, timers above 2^31 - 1 ms
 * - a total outage: 1,000 callers, `maxAttempts: 4`, in virtual time
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import axios from 'axios';
import { CohereClientV2 } from 'cohere-ai';
import got from 'got';
import { attachPolicy } from '../src/adapters/axios/index.js';
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { gotPolicy } from '../src/adapters/got/index.js';
import { wrapClient } from '../src/adapters/sdk/index.js';
import { parseRetryAfter } from '../src/classify/retry-after.js';
import {
  constant,
  createPolicy,
  isSteadyError,
  MemoryStore,
  type Policy,
  type RetriesExhaustedError,
} from '../src/index.js';
import { testClock } from '../src/testing.js';

const ADAPTERS = ['fetch', 'got', 'axios'] as const;
type Adapter = (typeof ADAPTERS)[number];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A deterministic draw, so every run drops the same requests. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const quickRetries = () => createPolicy({ retry: { backoff: constant(1), maxAttempts: 4 } });

function plain(which: Adapter, policy: Policy, url: string): () => Promise<string> {
  if (which === 'fetch') {
    const f = steadyFetch(policy);
    return async () => (await f(url)).text();
  }
  if (which === 'got') {
    const api = got.extend(gotPolicy(policy));
    return async () => (await api(url)).body;
  }
  const ax = axios.create();
  attachPolicy(ax, policy);
  return async () => {
    const data: unknown = (await ax.get(url, { responseType: 'text' })).data;
    if (typeof data !== 'string')
      throw Object.assign(new Error(`resolved with data ${String(data)}`), { cut: true });
    return data;
  };
}

function streamed(which: Adapter, policy: Policy, url: string): () => Promise<AsyncIterable<unknown>> {
  if (which === 'fetch') {
    const f = steadyFetch(policy);
    return async () => (await f(url)).body as unknown as AsyncIterable<unknown>;
  }
  if (which === 'got') {
    const api = got.extend(gotPolicy(policy));
    return async () => api.stream(url);
  }
  const ax = axios.create();
  attachPolicy(ax, policy);
  return async () => (await ax.get(url, { responseType: 'stream' })).data;
}

const tally = () => {
  const out: Record<string, number> = {};
  return { out, count: (k: string) => (out[k] = (out[k] ?? 0) + 1) };
};

async function midBody(which: Adapter, calls = 10_000, rate = 0.07): Promise<void> {
  const whole = JSON.stringify({ text: 'x'.repeat(4_000) });
  const draw = lcg(42);
  let requests = 0;
  const server = await serve((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length) });
    if (draw() < rate) res.write(whole.slice(0, 2_000), () => res.socket?.destroy());
    else res.end(whole);
  });
  const call = plain(which, quickRetries(), `${server.url}/x`);
  const { out, count } = tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < calls) {
        next++;
        try {
          count((await call()) === whole ? 'whole body' : 'truncated success');
        } catch (e) {
          const err = e as Error & { cut?: boolean };
          count(
            err.cut
              ? 'success with no data'
              : isSteadyError(err)
                ? err.name
                : `raw ${err.name}: ${err.message}`,
          );
        }
      }
    }),
  );
  await server.close();
  console.log(`  ${which.padEnd(5)} ${calls} calls, ${requests} requests: ${JSON.stringify(out)}`);
}

async function sseDrop(which: Adapter, calls = 1_000, rate = 0.07): Promise<void> {
  const events = ['message-start', 'content-delta', 'content-delta', 'message-end'].map(
    (type) => `event: ${type}\ndata: ${JSON.stringify({ type })}\n\n`,
  );
  const whole = events.join('');
  const draw = lcg(42);
  let requests = 0;
  const server = await serve((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    if (draw() < rate) setTimeout(() => res.socket?.destroy(), 2);
    else res.end(whole);
  });
  const open = streamed(which, quickRetries(), `${server.url}/s`);
  const { out, count } = tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < calls) {
        next++;
        let text = '';
        try {
          for await (const c of await open()) text += Buffer.from(c as Uint8Array).toString();
          count(text === whole ? 'whole stream' : 'ended short');
        } catch (e) {
          const err = e as Error & { code?: string };
          count(isSteadyError(err) ? err.name : `raw ${err.name}/${err.code}`);
        }
      }
    }),
  );
  await server.close();
  console.log(`  ${which.padEnd(5)} ${calls} streams, ${requests} requests: ${JSON.stringify(out)}`);
}

async function echoedKey(): Promise<void> {
  const KEY = 'sk-bench-0123456789abcdef';
  const server = await serve((req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', 'set-cookie': `s=${KEY}` });
    res.end(JSON.stringify({ message: `invalid api token ${KEY}`, echo: req.headers.authorization }));
  });
  const auth = { authorization: `Bearer ${KEY}` };
  const tries: [string, (p: Policy) => Promise<unknown>][] = [
    [
      'got',
      (p) => got.extend({ prefixUrl: server.url, headers: auth }, gotPolicy(p)).post('x', { json: { a: 1 } }),
    ],
    [
      'axios',
      (p) => {
        const ax = axios.create({ baseURL: server.url, headers: auth });
        attachPolicy(ax, p);
        return ax.post('/x', { a: 1 });
      },
    ],
    ['fetch', (p) => steadyFetch(p)(server.url, { method: 'POST', headers: auth })],
    [
      'cohere-ai',
      (p) =>
        wrapClient(new CohereClientV2({ token: KEY, environment: server.url }), p).chat({
          model: 'm',
          messages: [{ role: 'user', content: 'hi' }],
        }),
    ],
  ];
  for (const [name, call] of tries) {
    const events: unknown[] = [];
    const p = createPolicy({
      breaker: false,
      retry: { maxAttempts: 2, backoff: constant(0) },
      on: { retry: (e) => events.push(e), fail: (e) => events.push(e) },
    });
    const err = await call(p).catch((e: unknown) => e);
    const where: string[] = [];
    for (const [label, x] of [['error', err], ...events.map((e, i) => [`event ${i}`, e] as const)] as const) {
      if ((JSON.stringify(x) ?? '').includes(KEY)) where.push(`JSON.stringify(${label})`);
      if (inspect(x, { depth: Number.POSITIVE_INFINITY }).includes(KEY)) where.push(`inspect(${label})`);
    }
    console.log(
      `  ${name.padEnd(9)} ${(err as Error).name}: the key shows in ${where.length ? where.join(', ') : 'nothing'}`,
    );
  }
  await server.close();
}

async function longWaits(): Promise<void> {
  const hints: Record<string, Record<string, string>> = {
    'Retry-After: 31536000 (a year)': { 'retry-after': '31536000' },
    'retry-after-ms: 1000000000000': { 'retry-after-ms': '1000000000000' },
    'Retry-After: a date 100 years ahead': {
      'retry-after': new Date(Date.now() + 100 * 365.25 * 86_400_000).toUTCString(),
    },
  };
  let headers: Record<string, string> = {};
  let n = 0;
  const server = await serve((_req, res) => {
    n++;
    res.writeHead(429, { 'content-type': 'application/json', ...headers });
    res.end('{"message":"slow down"}');
  });
  for (const [label, h] of Object.entries(hints)) {
    headers = h;
    n = 0;
    const f = steadyFetch(createPolicy({ breaker: false, retry: { backoff: constant(10) } }));
    const t0 = performance.now();
    const err = (await f(server.url).catch((e: unknown) => e)) as RetriesExhaustedError;
    const ms = Math.round(performance.now() - t0);
    console.log(`  ${label}: ${n} attempt(s) in ${ms} ms, ${err.name} (stoppedBy ${err.stoppedBy})`);
  }
  await server.close();

  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--asctime'],
    {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    },
  );
  process.stdout.write(child.stdout);

  let warnings = 0;
  process.on('warning', (w) => {
    if (w.name === 'TimeoutOverflowWarning') warnings++;
  });
  const p = createPolicy({ breaker: false, retry: { attemptTimeoutMs: 3e9, maxAttempts: 1 } });
  const r = await p
    .run(() => new Promise((ok) => setTimeout(() => ok('answered'), 50)))
    .catch((e: Error) => e.name);
  console.log(`  attemptTimeoutMs: 3e9, a 50 ms attempt: ${String(r)}`);

  let wakes = 0;
  class Counting extends MemoryStore {
    override tryReserve(...a: Parameters<MemoryStore['tryReserve']>) {
      wakes++;
      return super.tryReserve(...a);
    }
  }
  const limits = { calls: { limit: 1, windowMs: 30 * 86_400_000 } };
  const lp = createPolicy({
    breaker: false,
    limits,
    limiter: { store: new Counting({ limits }) },
    retry: { maxRetryAfterMs: Number.POSITIVE_INFINITY },
  });
  await lp.run(async () => 1);
  const ac = new AbortController();
  const queued = lp.run(async () => 2, { signal: ac.signal }).catch(() => {});
  wakes = 0;
  await new Promise((r) => setTimeout(r, 1_000));
  ac.abort();
  await queued;
  await new Promise((r) => setImmediate(r));
  console.log(
    `  a 30-day window, 1 s with a call queued: ${wakes} limiter wakes, ${warnings} TimeoutOverflowWarning(s)`,
  );
}

async function outage(budget: boolean): Promise<void> {
  const clock = testClock();
  const policy = createPolicy({
    clock,
    ...(budget ? {} : { budget: false as const }),
    retry: { maxAttempts: 4, backoff: constant(1_000) },
  });
  let attempts = 0;
  const fn = async () => {
    attempts++;
    throw { status: 503, body: { message: 'down' } };
  };
  const calls = Array.from({ length: 1_000 }, () => policy.run(fn).catch((e: RetriesExhaustedError) => e));
  await clock.runAllAsync();
  const stopped = tally();
  for (const e of await Promise.all(calls)) stopped.count(String(e.stoppedBy));
  const label = budget ? 'default budget' : 'budget: false ';
  console.log(
    `  ${label}: ${attempts} attempts for 1,000 calls = ${attempts / 1_000} per call; stoppedBy ${JSON.stringify(stopped.out)}`,
  );
}

if (process.argv.includes('--asctime')) {
  const now = Date.UTC(1994, 10, 6, 8, 49, 0);
  const ms = parseRetryAfter({ 'retry-after': 'Sun Nov  6 08:49:37 1994' }, now);
  const local = new Date(now).getTimezoneOffset();
  console.log(
    `  TZ=${process.env.TZ} (offset ${local} min): 'Sun Nov  6 08:49:37 1994', 37 s ahead, reads as ${ms} ms`,
  );
} else {
  console.log('faults: a 2xx cut mid-body (7 %)');
  for (const a of ADAPTERS) await midBody(a);
  console.log('faults: an SSE stream dropped before its first event (7 %)');
  for (const a of ADAPTERS) await sseDrop(a);
  console.log('faults: a 401 that echoes the key (body, set-cookie)');
  await echoedKey();
  console.log('faults: long waits');
  await longWaits();
  console.log('faults: a total outage, 1,000 callers, maxAttempts 4 (virtual time)');
  await outage(true);
  await outage(false);
}
