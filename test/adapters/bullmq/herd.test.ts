import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqProcessor } from '../../../src/adapters/bullmq/index.js';
import { createPolicy } from '../../../src/index.js';
import { type RedisServer, skipRedis, startRedis } from '../../stores/redis-server.js';

/*
 * The deferred-job herd, on a real BullMQ queue: 30 jobs at once on a limit of 5 calls per 500 ms.
 * 25 are refused in the first moments; deferred all for the same wait they would come back at one
 * instant, 5 fit, 20 are deferred again, and so on (about 75 deferrals). Deferred in line, they come
 * back one job's share of the rate apart (100 ms), and nearly every one fits when it returns.
 */
const skip = skipRedis('test/adapters/bullmq/herd.test.ts');
let redis: RedisServer;
const LIMIT = 5;
const WINDOW_MS = 500;
const JOBS = 30;

describe.skipIf(skip)('bullmqProcessor: deferred jobs do not come back as a herd', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it(`${JOBS} jobs on ${LIMIT} per ${WINDOW_MS} ms: deferrals spread at the limit's rate, about one per job`, async () => {
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue('herd', { connection });
    const policy = createPolicy({
      limits: { calls: { limit: LIMIT, windowMs: WINDOW_MS } },
      retry: { maxAttempts: 1 },
    });
    const sent: number[] = [];
    const dueAt: number[] = [];
    const process = bullmqProcessor(
      policy,
      async (job: Job<{ n: number }>) => {
        sent.push(Date.now());
        return job.data.n;
      },
      { maxHoldMs: 50 },
    );
    const worker = new Worker(
      'herd',
      async (job: Job<{ n: number }>, token?: string) => {
        const move = job.moveToDelayed.bind(job);
        job.moveToDelayed = (timestamp: number, t?: string) => {
          dueAt.push(timestamp);
          return move(timestamp, t);
        };
        return process(job, token);
      },
      { connection, concurrency: 10 },
    );
    try {
      await queue.addBulk(Array.from({ length: JOBS }, (_, n) => ({ name: 'call', data: { n } })));
      for (let i = 0; i < 200; i++) {
        if ((await queue.getJobCounts('completed')).completed === JOBS) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await queue.getJobCounts('completed')).completed).toBe(JOBS);
      // the first wave is deferred, and few come back too early to be deferred once more
      expect(dueAt.length).toBeGreaterThanOrEqual(JOBS - LIMIT);
      expect(dueAt.length).toBeLessThan(JOBS + 10);
      // no more come back in any window than the window admits (+1 for a job due at its very edge)
      const due = [...dueAt].sort((a, b) => a - b);
      for (const t of due)
        expect(due.filter((u) => u >= t && u < t + WINDOW_MS).length).toBeLessThanOrEqual(LIMIT + 1);
      expect(sent.length).toBe(JOBS);
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 30_000);
});
