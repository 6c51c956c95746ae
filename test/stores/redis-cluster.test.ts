import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { freePort, skipRedis, spawnRedis } from './redis-server.js';

/* A real 3-node Redis Cluster (no replicas): every script's keys share one slot, so no CROSSSLOT. */
const skip = skipRedis('test/stores/redis-cluster.test.ts');
const nodes: ReturnType<typeof spawnRedis>[] = [];
const ports: number[] = [];
let dir = '';
let cluster: Cluster;

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
}

describe.skipIf(skip)('redisStore on Redis Cluster', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steady-cluster-'));
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      ports.push(port);
      nodes.push(
        spawnRedis(port, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`], dir),
      );
    }
    for (const port of ports) {
      await until(
        () =>
          spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG',
      );
    }
    const made = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    await until(() =>
      ports.every((p) =>
        spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes(
          'cluster_state:ok',
        ),
      ),
    );
    cluster = new Cluster([{ host: '127.0.0.1', port: ports[0]! }], {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    cluster.on('error', () => {});
    await new Promise((r) => cluster.once('ready', r));
  }, 20_000);

  afterAll(async () => {
    cluster?.disconnect();
    for (const n of nodes) n.kill('SIGTERM');
    await Promise.all(nodes.map((n) => new Promise((r) => (n.exitCode !== null ? r(0) : n.once('exit', r)))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reserves, settles, releases and pauses on keys that live on different nodes', async () => {
    const slots = new Set<number>();
    for (const k of ['cohere:prod', 'openai:prod', 'tenant-42', 'x', 'y', 'z']) {
      const store = redisStore(cluster, { key: k, onError: 'closed' });
      const policy = createPolicy({ limits: { calls: { limit: 3, windowMs: 60_000 } }, limiter: { store } });
      const out = await Promise.all([1, 2].map((i) => policy.run(async () => i)));
      expect(out).toEqual([1, 2]);
      expect(store.fallback).toBe(false);
      slots.add(Number(await cluster.cluster('KEYSLOT', store.keys[0]!)));
      for (const x of store.keys)
        expect(await cluster.cluster('KEYSLOT', x)).toBe(await cluster.cluster('KEYSLOT', store.keys[0]!));
      expect(await cluster.hget(store.keys[0]!, 'q')).toBe('2');
      await store.close();
    }
    // the six keys landed in more than one slot range: the test crossed nodes
    const owners = new Set(
      [...slots].map((slot) => {
        const ranges = cluster.slots[slot];
        return ranges?.[0];
      }),
    );
    expect(owners.size).toBeGreaterThan(1);
  });

  it('a waiting call is woken through pub/sub on the cluster', async () => {
    const limits = { calls: { limit: 1, windowMs: 60_000 } };
    const sa = redisStore(cluster, { key: 'wake', onError: 'closed' });
    const sb = redisStore(cluster, { key: 'wake', onError: 'closed' });
    const a = createPolicy({ limits, limiter: { store: sa }, retry: { maxAttempts: 1 } });
    const b = createPolicy({ limits, limiter: { store: sb } });
    let release!: () => void;
    const first = a
      .run(
        () =>
          new Promise<never>((_, reject) => {
            release = () => reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
          }),
      )
      .catch((e) => e.cause?.code ?? e.code);
    await until(() => release !== undefined);
    const second = b.run(async () => 'second');
    await until(() => sb.listening);
    await new Promise((r) => setTimeout(r, 100));
    release(); // never reached the server: the call unit goes back
    expect(await second).toBe('second');
    expect(await first).toBe('ECONNREFUSED');
    await sa.close();
    await sb.close();
  });
});
