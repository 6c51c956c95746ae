/**
 * Real redis-server processes for the Redis store's tests, each on a free port on 127.0.0.1 with no
 * persistence. When redis-server is not installed the tests skip, saying so; under CI (CI=true)
 * they never skip: a missing redis-server fails the run.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

export const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/** Call at the top of a Redis test file: true when its tests must be skipped (and says which). */
export function skipRedis(file: string): boolean {
  if (HAVE_REDIS) return false;
  if (process.env.CI === 'true') {
    throw new Error(`${file}: redis-server is not installed, and CI never skips the Redis tests`);
  }
  console.warn(`SKIPPED ${file}: redis-server is not installed (apt-get install redis-server)`);
  return true;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  /** A new client; `quit()` it (or `stop()` closes every client made here). */
  client(options?: RedisOptions): Redis;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence); does nothing while it runs. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. `resume()` thaws it. */
  freeze(): void;
  resume(): void;
  stop(): Promise<void>;
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout.trim() === 'PONG') return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

export function spawnRedis(port: number, extra: string[] = [], cwd?: string): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
    { stdio: 'ignore', cwd },
  );
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise((res) => p.once('exit', () => res()));
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let proc = spawnRedis(port);
  await waitReady(port);
  const clients = new Set<Redis>();
  return {
    port,
    client(options: RedisOptions = {}) {
      const c = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, ...options });
      c.on('error', () => {});
      clients.add(c);
      return c;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited(proc);
    },
    freeze() {
      proc.kill('SIGSTOP');
    },
    resume() {
      proc.kill('SIGCONT');
    },
    async restart() {
      if (proc.exitCode === null && proc.signalCode === null) return;
      proc = spawnRedis(port);
      await waitReady(port);
    },
    async stop() {
      for (const c of clients) c.disconnect();
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      await exited(proc);
    },
  };
}
