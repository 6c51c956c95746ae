/**
 * `steady/emulator` as the README shows it: the README's example test, run here against src (the
 * package test compiles the same block against the packed package), and the subpath's exports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { cohere, createPolicy } from '../../src/index.js';
import * as emulator from '../../src/sim/emulator/index.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('steady/emulator', () => {
  it('is a subpath export with types, built from src/sim/emulator/index.ts', () => {
    expect(manifest.exports['./emulator']).toEqual({
      types: './dist/sim/emulator/index.d.ts',
      default: './dist/sim/emulator/index.js',
    });
    const build = JSON.parse(readFileSync(new URL('../../tsconfig.build.json', import.meta.url), 'utf8'));
    expect(build.exclude).not.toContain('src/sim');
    expect(Object.keys(emulator).sort()).toEqual([
      'CONTEXT_TOKENS',
      'MAX_EMBED_TEXTS',
      'MAX_OUTPUT_TOKENS',
      'PLANS',
      'startEmulator',
    ]);
  });

  it("the README's example: a 503 is retried, and the second answer is the one the caller gets", async () => {
    const emu = await emulator.startEmulator({ keys: { 'test-key': 'trial' } });
    try {
      const fetch = steadyFetch(createPolicy({ ...cohere({ plan: 'trial' }) }));
      emu.inject({ status: 503 });
      const res = await fetch(`${emu.url}/v2/chat`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      const stats = emu.stats();
      expect(stats.requests).toBe(2);
      expect(stats.byFault).toEqual({ '503': 1 });
      expect(stats.accepted).toBe(1);
    } finally {
      await emu.close();
    }
  });

  it('the README block is the same test', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain("import { startEmulator } from 'steady/emulator';");
    expect(readme).toContain("test('a 503 is retried, and the second answer is the one the caller gets'");
    expect(readme).toContain("assert.deepEqual(stats.byFault, { '503': 1 });");
  });
});
