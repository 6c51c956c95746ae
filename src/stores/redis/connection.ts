import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { SCRIPTS, type ScriptName } from './lua.js';

/** An ioredis client: a `Redis` or a `Cluster`. */
export type RedisClient = Redis | Cluster;

const SHAS = Object.fromEntries(
  Object.entries(SCRIPTS).map(([name, src]) => [name, createHash('sha1').update(src).digest('hex')]),
) as Record<ScriptName, string>;

/** Raised when the client is not connected, or Redis did not answer in time. */
export class RedisDown extends Error {
  override name = 'RedisDown';
}

/** Resolves when the client is ready, rejects after `timeoutMs`. */
function ready(redis: RedisClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new RedisDown(`the Redis client was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

/**
 * Runs one script: EVALSHA, and EVAL (which loads it again) when Redis answers NOSCRIPT after a
 * restart or `SCRIPT FLUSH`. A client still making its first connection is waited for (up to
 * `timeoutMs`); once Redis has been found down (`down`), a client that is not ready fails at once,
 * so nothing waits in ioredis's offline queue. No answer within `timeoutMs` fails too; `late` then
 * receives the answer that still arrives, so a reservation made after the caller gave up can be
 * given back.
 */
export async function runScript(
  redis: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: readonly string[],
  timeoutMs: number,
  down: boolean,
  late?: (reply: unknown) => void,
): Promise<unknown> {
  const status = redis.status;
  if (status === 'connecting' || status === 'connect') {
    if (down) throw new RedisDown(`the Redis client is ${status}`);
    await ready(redis, timeoutMs);
  } else if (status !== 'ready' && status !== 'wait') {
    throw new RedisDown(`the Redis client is ${status}`);
  }
  const call = redis.evalsha(SHAS[name], keys.length, ...keys, ...args).catch((err: unknown) => {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
      return redis.eval(SCRIPTS[name], keys.length, ...keys, ...args);
    }
    throw err;
  });
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new RedisDown(`Redis did not answer within ${timeoutMs} ms`));
      if (late) call.then(late, () => {});
    }, timeoutMs);
    call.then(
      (reply) => {
        if (done) return;
        clearTimeout(timer);
        resolve(reply);
      },
      (err: unknown) => {
        if (done) return;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
