/**
 * The load and fault suite: 10,000 concurrent calls through one policy (steadyFetch, got and axios
 * sharing it) against a local server that injects 429s with and without hints, 499, 5xx, resets
 * before the head, slow answers past the attempt timeout and bodies cut mid-way, with ~10 % of the
 * callers aborting at a random moment. The run is its own process (test/load/load-run.ts), so that
 * it must also exit by itself once its server is closed: anything steady leaves behind (a timer, a
 * socket, a listener) keeps it alive and fails the test.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import type { LoadReport } from './load-run.js';
import { LIMIT, MIX, SLOW_MS } from './scenario.js';

const RUN = fileURLToPath(new URL('./load-run.ts', import.meta.url));
const CALLS = 10_000;

function runChild(url: string): Promise<{ report: LoadReport; exitedAfterMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN, url, String(CALLS), '7'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let reportedAt = 0;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (!reportedAt && stdout.includes('\n')) reportedAt = performance.now();
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    // Bounded: the run has 50 s, then 5 s to exit by itself.
    const kill = setTimeout(() => child.kill('SIGKILL'), 55_000);
    child.on('exit', (code, signal) => {
      clearTimeout(kill);
      if (!reportedAt)
        return reject(new Error(`load run ended (${code ?? signal}) without a report: ${stderr}`));
      const exitedAfterMs = performance.now() - reportedAt;
      resolve({ report: JSON.parse(stdout.split('\n')[0]!) as LoadReport, exitedAfterMs, stderr });
    });
  });
}

describe('10,000 calls under faults and aborts', () => {
  it('settles every call with a whole body or a typed error, stays inside the limit, and leaves nothing behind', async () => {
    let server: FaultServer | undefined;
    try {
      server = await startFaultServer({ seed: 7, limit: LIMIT, slowMs: SLOW_MS, mix: MIX });
      const { report: r, exitedAfterMs, stderr } = await runChild(server.url);
      check(r, server, exitedAfterMs, stderr);
    } finally {
      await server?.close();
    }
  }, 90_000);
});

function check(r: LoadReport, server: FaultServer, exitedAfterMs: number, stderr: string): void {
  // The figures, for whoever reads the run (not asserted: they depend on the machine).
  console.info(
    `load run: ${r.submitted} calls, ${r.succeeded} ok, ${r.failed} failed, ${r.aborted} aborted, ` +
      `${r.truncated} truncated, ${r.attempts} attempts, ${server.requests} requests, ` +
      `${server.overLimit} of the server's own 429s (arrival lag), ` +
      `ledger max ${r.maxAdmittedInWindow} of ${r.limit.calls} per ${r.limit.windowMs} ms, ${r.elapsedMs} ms`,
  );
  // Every fault kind was drawn, and most than once.
  for (const fault of ['429-hint', '429-bare', '499', '5xx', 'reset', 'slow', 'mid-body', 'mid-body-chunked'])
    expect(server.byFault[fault] ?? 0, fault).toBeGreaterThan(50);

  expect(r.foreignSamples, 'rejections that are neither a SteadyError nor the abort reason').toEqual([]);
  expect(r.foreign).toBe(0);
  expect(r.truncated, 'callers handed a cut body as a success').toBe(0);
  expect(r.succeeded + r.failed + r.aborted).toBe(r.submitted);
  expect(r.submitted).toBe(CALLS);
  // ~10 % of callers abort at a random moment; some of them finish first.
  expect(r.aborted).toBeGreaterThan(CALLS * 0.05);
  expect(r.aborted).toBeLessThan(CALLS * 0.11);
  // Retries cover the injected faults: all but a handful of the calls not aborted succeed.
  expect(r.failed, JSON.stringify(r.failedBy)).toBeLessThan(CALLS * 0.01);
  // The ledger never admitted more than the limit in any rolling window.
  expect(r.maxAdmittedInWindow).toBeLessThanOrEqual(r.limit.calls);
  expect(r.maxAdmittedInWindow).toBeGreaterThan(r.limit.calls * 0.9); // and it did use the quota
  // Nothing of steady's kept the process alive once its server was closed.
  expect(stderr).not.toContain('still alive');
  expect(exitedAfterMs).toBeLessThan(3_000);
}
