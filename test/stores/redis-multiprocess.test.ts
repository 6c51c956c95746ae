import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollingWindowServer } from '../limit/servers.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

/*
 * Four worker processes share one key's 20 calls per 2 s through redisStore, against a local HTTP
 * server that counts every arrival in a rolling 2 s window and answers 429 past 20: zero 429s.
 */
const skip = skipRedis('test/stores/redis-multiprocess.test.ts');
const run = promisify(execFile);
const child = fileURLToPath(new URL('./redis-child.ts', import.meta.url));
let redis: RedisServer;

describe.skipIf(skip)('redisStore across processes', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('4 processes × 15 calls on one key of 20 per 2 s: every call served, zero 429s', async () => {
    const limit = new RollingWindowServer({ calls: 20, tokens: 1e12, windowMs: 2_000 });
    const http = createServer((_req, res) => {
      const answer = limit.arrive(Date.now(), 0);
      res.writeHead(answer === 'ok' ? 200 : 429, { 'content-type': 'text/plain' });
      res.end(answer === 'ok' ? 'ok' : 'too many');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    try {
      const outs = await Promise.all(
        [1, 2, 3, 4].map(() =>
          run(process.execPath, ['--import', 'tsx', child, String(redis.port), url, 'shared', '15', '4'], {
            timeout: 25_000,
          }),
        ),
      );
      const reports = outs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!));
      for (const r of reports) expect(r).toMatchObject({ ok: 15, errors: [] });
      expect(limit.rejected).toBe(0);
      expect(limit.served.length).toBe(60);
      // the ledger saw all four at once (each registers on the key when it reserves)
      expect(Math.max(...reports.map((r) => r.processes))).toBe(4);
      // 60 calls at 20 per window cannot all fit in less than two windows
      const span = limit.served.at(-1)!.time - limit.served[0]!.time;
      expect(span).toBeGreaterThanOrEqual(2 * 2_000);
    } finally {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  }, 30_000);
});
