import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqProcessor, HISTORY_KEY } from '../../../src/adapters/bullmq/index.js';
import { createPolicy, exponential, type PolicyOptions } from '../../../src/index.js';
import { type RedisServer, skipRedis, startRedis } from '../../stores/redis-server.js';
import { startJobsServer } from './jobs-server.js';

/* The call's history travels with a deferred job: maxAttempts and maxElapsedMs count across deferrals. */
const skip = skipRedis('test/adapters/bullmq/history.test.ts');
let redis: RedisServer;

/**
 * Runs one job through one worker under `retry` (maxHoldMs 500); the server answers 503 with
 * Retry-After: 1 every time, so every wait defers the job.
 */
async function runOne(name: string, retry: PolicyOptions['retry'], data: Record<string, unknown>) {
  const api = await startJobsServer({ calls: 1_000, windowMs: 1_000 }, () => ({
    status: 503,
    headers: { 'retry-after': '1' },
  }));
  const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection });
  const policy = createPolicy({ retry: { backoff: exponential({ baseMs: 10, jitter: 'none' }), ...retry } });
  let runs = 0;
  const attempts: number[] = [];
  const worker = new Worker(
    name,
    (job: Job, token?: string) => {
      runs++;
      return bullmqProcessor(
        policy,
        async (_job, { attempt }) => {
          attempts.push(attempt);
          const res = await fetch(`${api.url}?n=1`);
          throw {
            status: res.status,
            headers: { 'retry-after': res.headers.get('retry-after') },
            body: await res.text(),
          };
        },
        { maxHoldMs: 500 },
      )(job, token);
    },
    { connection },
  );
  try {
    const job = await queue.add('call', data);
    let state = '';
    for (let i = 0; i < 100 && state !== 'failed' && state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await job.getState();
    }
    const done = (await queue.getJob(job.id!))!;
    return { done, state, runs, attempts, requests: api.requests.get(1) };
  } finally {
    await worker.close();
    await queue.close();
    await api.close();
  }
}

describe.skipIf(skip)('bullmqProcessor: history across deferrals', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('maxAttempts 3 with a 1 s Retry-After each time: 3 attempts over 3 runs (2 deferrals), then RetriesExhaustedError', async () => {
    const r = await runOne('attempts', { maxAttempts: 3 }, { prompt: 'hi' });
    expect(r.attempts).toEqual([1, 2, 3]);
    expect(r.runs).toBe(3);
    expect(r.requests).toBe(3);
    expect(r.state).toBe('failed');
    expect(r.done.failedReason).toMatch(/^steady: gave up after 3 attempts: server-error \(HTTP 503\)/);
    expect(r.done.data).toMatchObject({ prompt: 'hi', [HISTORY_KEY]: { attempt: 2 } });
  }, 20_000);

  it('maxElapsedMs 1500 from the first start: attempt 2 runs at ~1 s, its 1 s wait would cross it', async () => {
    const r = await runOne('elapsed', { maxAttempts: 10, maxElapsedMs: 1_500 }, {});
    expect(r.attempts).toEqual([1, 2]);
    expect(r.state).toBe('failed');
    expect(r.done.failedReason).toBe(
      'steady: retry.maxElapsedMs (1500 ms) exceeded after 2 attempts: the next wait (1000 ms) would cross it',
    );
  }, 20_000);

  it('data that is not an object cannot carry the history: the deferral fails the job saying so', async () => {
    const r = await runOne('scalar', { maxAttempts: 3 }, ['a', 'list'] as never);
    expect(r.attempts).toEqual([1]);
    expect(r.done.failedReason).toBe(
      `steady: bullmqProcessor keeps the call's history in job.data.${HISTORY_KEY}: job ${r.done.id}'s data must be an object, got an array`,
    );
  }, 20_000);

  it('a misspelt option is a clear error at construction', () => {
    const policy = createPolicy();
    expect(() => bullmqProcessor(policy, () => 1, { maxHoldMS: 5 } as never)).toThrow(/maxHoldMS.*maxHoldMs/);
    expect(() => bullmqProcessor(policy, () => 1, { maxHoldMs: -1 })).toThrow(/maxHoldMs/);
    expect(() => bullmqProcessor({} as never, () => 1)).toThrow(
      'steady: bullmqProcessor(policy) needs a policy from createPolicy()',
    );
  });
});
