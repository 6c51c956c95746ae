/** How long the emulator keeps an idle connection: the `Keep-Alive` it sends, and a bad option named. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/sim/emulator/index.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The `keep-alive` header of a plain POST to /v2/chat. */
function keepAliveOf(url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v2/chat`,
      { method: 'POST', headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['keep-alive'] as string | undefined));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'command-r', messages: [{ role: 'user', content: 'hi' }] }));
  });
}

describe('startEmulator keepAliveMs', () => {
  it('keeps idle connections 65 s by default, and what it is given', async () => {
    emu = await startEmulator();
    expect(await keepAliveOf(emu.url)).toBe('timeout=65');
    await emu.close();
    emu = await startEmulator({ keepAliveMs: 10_000 });
    expect(await keepAliveOf(emu.url)).toBe('timeout=10');
  });

  it('with keepAliveMs: 0 sends no idle timeout (the connection stays until the client closes it)', async () => {
    emu = await startEmulator({ keepAliveMs: 0 });
    expect(await keepAliveOf(emu.url)).toBeUndefined();
  });

  it.each([
    [-1, 'keepAliveMs must be an integer >= 0'],
    [1.5, 'keepAliveMs must be an integer >= 0'],
    [2 ** 31, 'keepAliveMs must be an integer in [0, 2147483647]'],
  ])('refuses %s, naming it', async (bad, message) => {
    await expect(startEmulator({ keepAliveMs: bad })).rejects.toThrow(message);
  });
});
