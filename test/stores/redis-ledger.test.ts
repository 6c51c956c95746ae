import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedisStore } from '../../src/stores/redis/store.js';
import { checkRollingLedger } from '../limit/ledger-property.js';
import { observeCases } from '../limit/observe-cases.js';
import { type MakeStore, rollingStoreCases } from '../limit/store-cases.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

/*
 * The MemoryStore cases (test/limit/store-cases.ts, hand-worked values) and the rolling-ledger
 * property (test/limit/ledger-property.ts) against the Lua ledger on a real redis-server. The store
 * runs on the cases' clock here (`callerClock`, a test-only switch), since they name exact times;
 * in use it reads Redis TIME (test/stores/redis-store.test.ts).
 */
const skip = skipRedis('test/stores/redis-ledger.test.ts');
let server: RedisServer;
let redis: Redis;
let n = 0;

const redisUnderTest: MakeStore = (limits, safetyMarginMs) => {
  const s = new RedisStore(redis, {
    key: `ledger-${++n}`,
    onError: 'closed',
    timeoutMs: 5_000,
    callerClock: true,
  });
  s.bind({ limits, algorithm: undefined, safetyMarginMs, wake: () => {} });
  const [, h, p] = s.keys as string[];
  return Object.assign(s, {
    size: async () => (await redis.hlen(h!)) + (await redis.hlen(p!)),
    pending: () => redis.hlen(p!),
  });
};

describe.skipIf(skip)('RedisStore on a real redis-server', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = server.client();
  });
  afterAll(() => server?.stop());

  rollingStoreCases('RedisStore (rolling)', redisUnderTest);
  observeCases('RedisStore (rolling)', redisUnderTest);

  it('rolling ledger property: never over the limit in any window, exact waits, nothing left', async () => {
    await checkRollingLedger(redisUnderTest, 100);
  });
});
