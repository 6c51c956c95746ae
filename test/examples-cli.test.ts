/**
 * The one convention every example runs under (examples/lib/cli.ts): COHERE_API_KEY and
 * COHERE_BASE_URL, or with neither set the local emulator, said so.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runExample } from '../examples/lib/cli.js';

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  return { out, err };
}

describe('examples/lib/cli.ts runExample', () => {
  it('with neither variable set: says so, runs against a live emulator on 127.0.0.1, prints the reply', async () => {
    const { out, err } = capture();
    const seen: [string, string][] = [];
    await runExample(
      async (baseUrl, apiKey) => {
        seen.push([baseUrl, apiKey]);
        const res = await fetch(`${baseUrl}/v2/chat`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] }),
        });
        return `status ${res.status}`;
      },
      { env: {} },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(seen[0]![1]).toBe('test-key');
    expect(err).toEqual([
      `COHERE_API_KEY and COHERE_BASE_URL are not set: using the local emulator at ${seen[0]![0]}`,
    ]);
    expect(out).toEqual(['status 200']);
  });

  it("with COHERE_API_KEY alone: Cohere's own URL and the user's key, nothing said", async () => {
    const { out, err } = capture();
    const main = vi.fn(async () => 'reply');
    await runExample(main, { env: { COHERE_API_KEY: 'sk-user' } });
    expect(main).toHaveBeenCalledWith('https://api.cohere.com', 'sk-user');
    expect(err).toEqual([]);
    expect(out).toEqual(['reply']);
  });

  it('with both: the user’s URL and key, never the emulator', async () => {
    const { err } = capture();
    const main = vi.fn(async () => 'reply');
    await runExample(main, {
      env: { COHERE_API_KEY: 'sk-user', COHERE_BASE_URL: 'http://127.0.0.1:9/proxy' },
    });
    expect(main).toHaveBeenCalledWith('http://127.0.0.1:9/proxy', 'sk-user');
    expect(err).toEqual([]);
  });

  it('with a URL but no key: that URL, no key, and a line saying so', async () => {
    const { err } = capture();
    const main = vi.fn(async () => 'reply');
    await runExample(main, { env: { COHERE_BASE_URL: 'http://127.0.0.1:9' } });
    expect(main).toHaveBeenCalledWith('http://127.0.0.1:9', '');
    expect(err).toEqual(['COHERE_API_KEY is not set: calling http://127.0.0.1:9 without a key']);
  });

  it('print: false leaves the printing to the example', async () => {
    const { out } = capture();
    await runExample(async () => 'reply', { print: false, env: { COHERE_API_KEY: 'k' } });
    expect(out).toEqual([]);
  });
});
