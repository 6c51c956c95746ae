import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../fixtures/drop-exit.ts', import.meta.url));

it('leaves nothing behind: a process that cut bodies through all three adapters exits by itself', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      // The timeout kills a child kept alive by a leak: the test then fails on its exit code.
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', script],
        { timeout: 25_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({
    seen: [
      'fetch text {"ok":true,"n":2}',
      'fetch stream 2',
      'got text {"ok":true,"n":6}',
      'got stream 2',
      'axios text {"ok":true,"n":10}',
      'axios stream 2',
    ],
    requests: 12,
  });
}, 30_000);
