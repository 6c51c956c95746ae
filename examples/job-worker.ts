/**
 * Cohere chat calls as BullMQ jobs: one queue, two workers (as two processes would be) sharing one
 * trial key's limits through Redis. A wait longer than a second (the limiter, a backoff, a
 * Retry-After) re-schedules the job instead of holding a worker slot.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run example -- job-worker   # the local emulator;
 *   COHERE_API_KEY=... for the real API
 */

import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
// In your code: `from 'steady/bullmq'`, `from 'steady/redis'` and `from 'steady'`.
import { bullmqProcessor } from '../src/adapters/bullmq/index.js';
import { cohere, createPolicy } from '../src/index.js';
import { redisStore } from '../src/stores/redis/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

interface ChatJob {
  message: string;
}
interface ChatReply {
  message: { content: { type: string; text: string }[] };
}

/** The chat request a job sends. */
function request(job: Job<ChatJob>) {
  return {
    model: 'command-a-03-2025',
    messages: [{ role: 'user', content: job.data.message }],
    max_tokens: 100,
  };
}

/** Sends four chat messages as jobs and returns the replies, one a line. */
export async function main(
  baseUrl: string,
  apiKey: string,
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<string> {
  const name = `chat-${process.pid}-${Date.now()}`;
  // BullMQ's connections block, so they never give up on a command; steady's fails fast.
  const connection = () => new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<ChatJob>(name, { connection: connection() });
  const events = new QueueEvents(name, { connection: connection() });
  const workers: Worker[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  for (let w = 0; w < 2; w++) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const store = redisStore(redis, { key: 'cohere:trial' });
    const policy = createPolicy({
      ...cohere({ plan: 'trial' }),
      limiter: { store },
      retry: { maxAttempts: 6 },
    });
    const processor = bullmqProcessor(
      policy,
      async (job: Job<ChatJob>, { signal }) => {
        const res = await fetch(`${baseUrl}/v2/chat`, {
          method: 'POST',
          signal,
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(request(job)),
        });
        if (!res.ok) throw res; // steady reads its status and Retry-After
        const reply = (await res.json()) as ChatReply;
        return reply.message.content.map((part) => part.text).join('');
      },
      {
        runOptions: (job) => ({ tokens: policy.estimate(request(job)), secrets: [apiKey] }),
      },
    );
    workers.push(new Worker(name, processor, { connection: connection(), concurrency: 5 }));
    closers.push(
      () => store.close(),
      () => redis.quit(),
    );
  }

  try {
    await events.waitUntilReady();
    const messages = ['Hello', 'What is a rolling window?', 'Name a prime', 'Say goodbye'];
    const jobs = await queue.addBulk(messages.map((message) => ({ name: 'chat', data: { message } })));
    const replies = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 120_000)));
    return replies.join('\n');
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await queue.obliterate({ force: true });
    await Promise.all([queue.close(), events.close()]);
    for (const close of closers) await close();
  }
}

if (isEntry(import.meta.url)) runFromCli(main);
