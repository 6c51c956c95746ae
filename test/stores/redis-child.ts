/**
 * One worker process of the multi-process test: `node --import tsx redis-child.ts <redisPort> <url>
 * <key> <calls> [<processes>]` waits until `processes` children have started (a barrier in Redis,
 * so a child slow to boot on a loaded machine does not run alone), sends `calls` requests at once
 * through a policy whose limiter lives in Redis, and prints one JSON line: the results and errors.
 */
import { Redis } from 'ioredis';
import { createPolicy } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis/index.js';

const [port, url, key, count, together = '1'] = process.argv.slice(2);
const redis = new Redis(Number(port), '127.0.0.1', { maxRetriesPerRequest: 1 });
const barrier = `test:barrier:${key}`;
await redis.incr(barrier);
for (let i = 0; i < 500 && Number(await redis.get(barrier)) < Number(together); i++)
  await new Promise((r) => setTimeout(r, 20));
const store = redisStore(redis, { key: key! });
const policy = createPolicy({
  limits: { calls: { limit: 20, windowMs: 2_000 } },
  // the machine is shared: room for the spread of send-to-arrival latency under load
  limiter: { store, safetyMarginMs: 500 },
  retry: { maxAttempts: 3 },
});
let processes = 0; // the most live processes Redis counted on the key while this one sent
const outcomes = await Promise.allSettled(
  Array.from({ length: Number(count) }, () =>
    policy.run(async ({ signal }) => {
      processes = Math.max(processes, store.processes);
      const res = await fetch(url!, { signal });
      const body = await res.text();
      if (!res.ok) throw { status: res.status, body };
      return body;
    }),
  ),
);
process.stdout.write(
  `${JSON.stringify({
    ok: outcomes.filter((o) => o.status === 'fulfilled').length,
    errors: outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
    processes,
  })}\n`,
);
await store.close();
await redis.quit();
