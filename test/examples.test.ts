/**
 * Every file in examples/ (found by listing the folder, so a new one is covered without editing
 * this test) runs its `main(baseUrl, apiKey)` against its own emulator, with one 503 injected before
 * its first call: it must retry it and return a non-empty reply. An example that needs Redis
 * (listed in REDIS) gets a real redis-server, started here, as its third argument.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Emulator, type Provider, startEmulator } from '../src/sim/emulator/index.js';
import { type RedisServer, skipRedis, startRedis } from './stores/redis-server.js';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .sort();

/** API calls an example documents making; 1 unless listed. */
const CALLS: Record<string, number> = {
  'ai-sdk.ts': 2, // "One generateText and one streamText"
  'anthropic-sdk.ts': 2, // "One message and one streamed message"
  'cohere-sdk.ts': 2, // "One chat and one streamed chat"
  'openai-sdk.ts': 2, // "One chat and one streamed chat"
  'job-worker.ts': 4, // "Sends four chat messages as jobs"
};

/** Examples that need a Redis: they take its URL as a third argument. */
const REDIS = new Set(['job-worker.ts']);
const skipRedisExamples = skipRedis('test/examples.test.ts (job-worker.ts)');
let redis: RedisServer | undefined;

type Main = (baseUrl: string, apiKey: string, redisUrl?: string) => Promise<string>;
const emulators = new Map<string, Emulator>();

/** Whose API an example calls, from its `export const provider` (examples/lib/cli.ts): the emulator speaks it. */
async function providerOf(file: string): Promise<Provider | undefined> {
  const mod = (await import(pathToFileURL(dir + file).href)) as { provider?: Provider };
  return mod.provider;
}

beforeAll(async () => {
  for (const file of files) emulators.set(file, await startEmulator({ provider: await providerOf(file) }));
  if (!skipRedisExamples && files.some((f) => REDIS.has(f))) redis = await startRedis();
  // Some examples print what they do (the reply, each retry); keep the test output clean.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([...emulators.values()].map((emu) => emu.close()));
  await redis?.stop();
});

describe('examples/', () => {
  it('has the examples the docs point to', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'ai-sdk.ts',
        'anthropic-sdk.ts',
        'axios.ts',
        'bottleneck.ts',
        'cohere-sdk.ts',
        'fetch.ts',
        'got.ts',
        'job-worker.ts',
        'openai-sdk.ts',
        'p-retry.ts',
      ]),
    );
  });

  describe.concurrent.each(files)('%s', (file) => {
    it.skipIf(REDIS.has(file) && skipRedisExamples)(
      'retries an injected 503 and returns the reply',
      async () => {
        const mod = (await import(pathToFileURL(dir + file).href)) as { main?: Main };
        expect(typeof mod.main).toBe('function');
        const emu = emulators.get(file)!;
        emu.inject({ status: 503 });
        const redisUrl = REDIS.has(file) ? `redis://127.0.0.1:${redis!.port}` : undefined;
        const text = await mod.main!(emu.url, 'test-key', redisUrl);
        expect(typeof text).toBe('string');
        expect(text.trim().length).toBeGreaterThan(0);
        const calls = CALLS[file] ?? 1;
        expect(emu.stats()).toMatchObject({
          requests: calls + 1,
          byStatus: { 503: 1, 200: calls },
          byFault: { '503': 1 },
          accepted: calls,
          rateLimited: { calls: 0, tokens: 0 },
        });
      },
    );
  });
});
