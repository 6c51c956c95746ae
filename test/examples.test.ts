/**
 * Every file in examples/ (found by listing the folder, so a new one is covered without editing
 * this test) runs its `main(baseUrl, apiKey)` against its own emulator, with one 503 injected before
 * its first call: it must retry it and return a non-empty reply.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../src/sim/emulator/index.js';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .sort();

/** API calls an example documents making; 1 unless listed. */
const CALLS: Record<string, number> = {
  'cohere-sdk.ts': 2, // "One chat and one streamed chat"
};

type Main = (baseUrl: string, apiKey: string) => Promise<string>;
const emulators = new Map<string, Emulator>();

beforeAll(async () => {
  for (const file of files) emulators.set(file, await startEmulator());
  // Some examples print what they do (the reply, each retry); keep the test output clean.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([...emulators.values()].map((emu) => emu.close()));
});

describe('examples/', () => {
  it('has the examples the docs point to', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'axios.ts',
        'bottleneck.ts',
        'cohere-sdk.ts',
        'fetch.ts',
        'got.ts',
        'p-retry.ts',
      ]),
    );
  });

  describe.concurrent.each(files)('%s', (file) => {
    it('retries an injected 503 and returns the reply', async () => {
      const mod = (await import(pathToFileURL(dir + file).href)) as { main?: Main };
      expect(typeof mod.main).toBe('function');
      const emu = emulators.get(file)!;
      emu.inject({ status: 503 });
      const text = await mod.main!(emu.url, 'test-key');
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
    });
  });
});
