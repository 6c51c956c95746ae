import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import { HttpError, steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import type { Outcome } from '../../src/classify/outcome.js';
import { createPolicy, FatalError, type PolicyOptions, RetriesExhaustedError } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

/* What is read of an error body is capped (classify.maxBodyBytes, 64 KiB by default). */

const MB = 1024 * 1024;

/** A server whose every answer is a 503 with a `totalMb` MB text body, written as the client reads it. */
async function bigBodyServer(totalMb: number) {
  const seen = { written: 0, closedEarly: 0 };
  const chunk = Buffer.alloc(MB, 'x');
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    let sent = 0;
    const write = () => {
      while (sent < totalMb) {
        sent++;
        seen.written += MB;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
      res.end();
    };
    res.on('close', () => {
      if (!res.writableFinished) seen.closedEarly++;
    });
    res.on('error', () => {});
    write();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A policy whose rule records how much of each body classification looked at. */
function recording(extra: PolicyOptions = {}) {
  const looked: number[] = [];
  const policy = createPolicy({
    retry: { maxAttempts: 1 },
    breaker: false,
    rules: [
      (o: Outcome) => {
        looked.push(typeof o.body === 'string' ? o.body.length : -1);
        return undefined;
      },
    ],
    ...extra,
  });
  return { policy, looked };
}

describe('steadyFetch: an error body is read up to classify.maxBodyBytes, the rest is cancelled', () => {
  let big: Awaited<ReturnType<typeof bigBodyServer>>;
  beforeAll(async () => {
    big = await bigBodyServer(64);
  });
  afterAll(() => big.close());

  it('keeps 64 KiB of a 64 MB 503 body in HttpError.body and stops the download', async () => {
    const { policy, looked } = recording();
    const err = await steadyFetch(policy)(big.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    const cause = (err as RetriesExhaustedError).cause as HttpError;
    expect(cause).toBeInstanceOf(HttpError);
    expect(cause.body).toBe('x'.repeat(65_536));
    expect(looked).toEqual([65_536]);
    await expect.poll(() => big.seen.closedEarly).toBe(1); // the server saw the client hang up
    expect(big.seen.written).toBeLessThan(64 * MB);
  });

  it('reads as much as the option says', async () => {
    const { policy, looked } = recording({ classify: { maxBodyBytes: 1_000 } });
    const err = await steadyFetch(policy)(big.url).catch((e: unknown) => e);
    expect(((err as RetriesExhaustedError).cause as HttpError).body).toHaveLength(1_000);
    expect(looked).toEqual([1_000]);
  });
});

describe('got and axios: a body already in memory is looked at up to the cap', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(() => server.close());
  const page = `<html><body><h1>Service unavailable</h1>${'y'.repeat(200_000)}</body></html>`;

  it('got', async () => {
    const { policy, looked } = recording({ classify: { maxBodyBytes: 4_096 } });
    server.reply({ status: 503, body: page });
    const err = await got
      .extend(gotPolicy(policy))(server.url)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(looked).toEqual([4_096]);
    expect((err as RetriesExhaustedError).verdict?.message).toMatch(/^Service unavailable y{900,}$/);
  });

  it('axios', async () => {
    const { policy, looked } = recording();
    server.reply({ status: 503, body: page });
    const instance = axios.create({ baseURL: server.url });
    attachPolicy(instance, policy);
    const err = await instance.get('/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(looked).toEqual([65_536]);
  });

  it('a JSON error body within the cap is still parsed for its message', async () => {
    const { policy } = recording({ classify: { maxBodyBytes: 100 } });
    server.reply({ status: 400, body: { message: 'invalid model' } });
    const err = await steadyFetch(policy)(server.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).verdict?.message).toBe('invalid model');
  });
});

describe('classify.maxBodyBytes option', () => {
  it.each([-1, 1.5, Number.NaN, '64k'])('rejects %j, naming it', (v) => {
    expect(() => createPolicy({ classify: { maxBodyBytes: v as number } })).toThrow(/classify\.maxBodyBytes/);
  });

  it('names a misspelt key of classify', () => {
    expect(() => createPolicy({ classify: { maxBodyByte: 10 } } as never)).toThrow(
      'steady: classify.maxBodyByte is not an option of classify; did you mean maxBodyBytes?',
    );
  });

  it('takes 0, Infinity and integers, and shows them in classifySettings', () => {
    expect(createPolicy().classifySettings).toEqual({ maxBodyBytes: 65_536 });
    expect(createPolicy({ classify: { maxBodyBytes: 0 } }).classifySettings.maxBodyBytes).toBe(0);
    const all = createPolicy({ classify: { maxBodyBytes: Number.POSITIVE_INFINITY } });
    expect(all.classifySettings.maxBodyBytes).toBe(Number.POSITIVE_INFINITY);
  });
});
