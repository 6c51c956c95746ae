/** What `steady simulate` writes: text, JSON, the SVG, and a progress bar only on a terminal. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plural } from '../../../src/sim/simulate/format.js';
import { checkWellFormed, steady } from './helpers.js';

const SMALL = ['simulate', '--calls=40', '--arrival=burst', '--calls-limit=10', '--faults=429=10%,503=10%'];
const dir = mkdtempSync(join(tmpdir(), 'steady-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the text report', () => {
  it('says 1 retry and 2 retries', () => {
    expect([
      plural(0, 'retry', 'retries'),
      plural(1, 'retry', 'retries'),
      plural(2, 'retry', 'retries'),
    ]).toEqual(['0 retries', '1 retry', '2 retries']);
    expect(plural(1_500, 'call')).toBe('1,500 calls');
  });

  it('one retry in a run reads "1 retry"', async () => {
    const { stdout } = await steady([
      'simulate',
      '--calls=1',
      '--faults=503=100%',
      '--attempts=2',
      '--latency=100',
    ]);
    expect(stdout).toContain('attempts    2 (1 retry: server-error 1)');
    expect(stdout).toContain('2 faults injected (503 2)');
    expect(stdout).toMatch(/^steady simulate: 1 chat call /);
  });

  it('has every figure the report promises', async () => {
    const { code, stdout, stderr } = await steady(SMALL);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const label of [
      'calls ',
      'attempts ',
      'server ',
      'waits ',
      'rate ',
      'latency ',
      'queue wait ',
      'duration ',
    ])
      expect(stdout).toMatch(new RegExp(`^${label}`, 'm'));
    expect(stdout).toMatch(/p50 .*, p95 .*, p99 .*, max /);
    expect(stdout).toMatch(/most in any rolling minute \d+ \(limit 10, \d+ %\)/);
    expect(stdout).toContain('its own 429s: none');
  });

  it('--compare prints one column per strategy', async () => {
    const { stdout } = await steady([...SMALL, '--compare']);
    const head = stdout.split('\n').find((l) => l.includes('p-retry defaults'));
    expect(head?.trim().split(/\s{3,}/)).toEqual([
      'steady',
      'no limiter',
      'fixed window',
      'p-retry defaults',
    ]);
    expect(stdout).toMatch(/^server's own 429s +0 +\d+ +\d+ +\d+$/m);
    expect(stdout).toContain('modelled in virtual time');
  });
});

describe('--json', () => {
  it('is one JSON document: the options, the window, and a report per strategy', async () => {
    const { stdout } = await steady([...SMALL, '--compare', '--json', '--concurrency=unbounded']);
    const json = JSON.parse(stdout);
    expect(Object.keys(json).sort()).toEqual(['options', 'results', 'wallMs', 'windowMs']);
    expect(json.windowMs).toBe(60_000);
    expect(json.options.concurrency).toBeNull(); // Infinity has no JSON
    expect(json.results.map((r: { strategy: string }) => r.strategy)).toEqual([
      'steady',
      'no-limiter',
      'fixed-window',
      'p-retry',
    ]);
    for (const r of json.results) {
      expect(Object.keys(r).sort()).toEqual(
        [
          'attempts',
          'calls',
          'durationMs',
          'label',
          'latencyMs',
          'queueWaitMs',
          'rate',
          'retries',
          'server',
          'strategy',
          'waits',
        ].sort(),
      );
      expect(Object.keys(r.latencyMs)).toEqual(['p50', 'p95', 'p99', 'max']);
      expect(Object.keys(r.rate)).toEqual(['calls', 'tokens']);
      expect(r.rate.calls.limit).toBe(10);
      expect(r.calls.total).toBe(40);
    }
  });
});

describe('--svg', () => {
  it('writes well-formed SVG with both series, their limit lines, and the retries and 429s marked', async () => {
    const file = join(dir, 'run.svg');
    const { stdout } = await steady([...SMALL, '--svg', file]);
    expect(stdout).toContain(`picture: ${file}`);
    const svg = readFileSync(file, 'utf8');
    checkWellFormed(svg);
    expect(svg).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    for (const series of ['calls', 'tokens', 'calls-limit', 'tokens-limit'])
      expect(svg).toContain(`data-series="${series}"`);
    const points = /data-series="calls"[^>]*points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(points).toHaveLength(601);
    for (const cls of ['retries', 'own-429', 'injected-429']) expect(svg).toContain(`class="${cls}"`);
    expect(svg).toMatch(/retries \(\d+\)/);
    expect(svg).toContain('time (minutes of traffic)');
    expect(svg).toContain('limit 10 a minute');
  });

  it('with --compare: the other strategies add their calls line, on one time axis', async () => {
    const file = join(dir, 'compare.svg');
    await steady([...SMALL, '--compare', '--svg', file]);
    const svg = readFileSync(file, 'utf8');
    checkWellFormed(svg);
    for (const name of ['no-limiter', 'fixed-window', 'p-retry']) {
      const points = new RegExp(`data-series="calls-${name}"[^>]*points="([^"]+)"`).exec(svg)?.[1];
      expect(points?.split(' ')).toHaveLength(601);
    }
    expect(svg).not.toContain('data-series="tokens-fixed-window"');
    expect(svg).toContain('steady simulate --compare:');
  });

  it('the checker itself refuses what is not well-formed', () => {
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow();
    expect(() => checkWellFormed('<svg>a & b</svg>')).toThrow('bare &');
    expect(() => checkWellFormed('<svg x=1/>')).toThrow('malformed');
    expect(() => checkWellFormed('<svg/><svg/>')).toThrow('2 root elements');
  });
});

describe('progress', () => {
  it('on a TTY: a bar on stderr, cleared at the end; on a pipe: nothing', async () => {
    const tty = await steady(SMALL, { tty: true });
    const CLEAR = '\r\x1b[2K';
    expect(tty.stderr.startsWith(`${CLEAR}steady `)).toBe(true);
    expect(tty.stderr).toMatch(/steady +█{30} 40\/40 calls/);
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true);
    const pipe = await steady(SMALL);
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).toBe(tty.stdout.replace(/ran in .*\n/, pipe.stdout.match(/ran in .*\n/)![0]));
  });

  it('the real command through a pipe: exit 0, nothing on stderr; a bad flag: exit 2, one line, no stack', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', ...args], { encoding: 'utf8' });
    const ok = run([...SMALL]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('calls       40 ok');
    const bad = run(['simulate', '--time-scale', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('steady simulate: --time-scale must be a number > 0, got "0"\n');
  });
});
