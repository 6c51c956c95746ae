/** `steady simulate`'s flags: what each sets, and one clear line with exit code 2 for a bad one. */
import { describe, expect, it } from 'vitest';
import { parseFaults, parseSimulateArgs } from '../../../src/sim/simulate/args.js';
import { DEFAULTS } from '../../../src/sim/simulate/defaults.js';
import { steady } from './helpers.js';

describe('parseSimulateArgs', () => {
  it('no flags: the defaults (an hour of a trial key at 30 calls a minute, steady alone)', () => {
    const { options, json, help } = parseSimulateArgs([]);
    expect(options).toEqual(DEFAULTS);
    expect(options.calls / options.rate).toBe(60);
    expect(options.limits).toEqual({ calls: 40, tokens: 100_000, plan: 'trial' });
    expect(options.strategies).toEqual(['steady']);
    expect({ json, help }).toEqual({ json: false, help: false });
  });

  it('reads every kind of flag', () => {
    const { options, json, svg } = parseSimulateArgs([
      '--calls=250',
      '--rate',
      '12.5',
      '--arrival',
      'burst',
      '--concurrency',
      'unbounded',
      '--input-tokens',
      '500',
      '--output-tokens',
      '10-20',
      '--plan',
      'production',
      '--tokens-limit',
      '1_000_000',
      '--server',
      'fixed',
      '--latency',
      '0-50',
      '--attempts',
      '3',
      '--backoff',
      '100-2000',
      '--budget',
      'off',
      '--preset',
      'http',
      '--faults',
      '429=10%,reset=0.05',
      '--seed',
      '4',
      '--compare',
      '--json',
      '--svg',
      'out.svg',
    ]);
    expect(options).toMatchObject({
      calls: 250,
      rate: 12.5,
      arrival: 'burst',
      concurrency: Number.POSITIVE_INFINITY,
      inputTokens: [500, 500],
      outputTokens: [10, 20],
      limits: { calls: 500, tokens: 1_000_000, plan: 'production' },
      server: 'fixed',
      latencyMs: [0, 50],
      attempts: 3,
      backoffMs: [100, 2_000],
      budget: false,
      preset: 'http',
      faults: [
        { kind: 429, share: 0.1 },
        { kind: 'reset', share: 0.05 },
      ],
      seed: 4,
      strategies: ['steady', 'no-limiter', 'fixed-window', 'p-retry'],
    });
    expect({ json, svg }).toEqual({ json: true, svg: 'out.svg' });
  });

  it('--faults none is no faults; shares above 100 % in all are refused', () => {
    expect(parseFaults('none')).toEqual([]);
    expect(() => parseFaults('429=60%,503=50%')).toThrow(
      '--faults must be shares adding up to at most 100%, got "429=60%,503=50%"',
    );
  });
});

describe('steady simulate: bad flags', () => {
  const cases: [string[], string][] = [
    [['--tme-scale', '2'], 'unknown flag --tme-scale; did you mean --time-scale?'],
    [['--time-scale', '0'], '--time-scale must be a number > 0, got "0"'],
    [['--calls', '-5'], '--calls needs a value (one starting with "-" is written --calls=-1)'],
    [['--calls=-5'], '--calls must be an integer >= 1, got "-5"'],
    [['--calls', '2.5'], '--calls must be an integer >= 1, got "2.5"'],
    [['--concurrency', '0'], '--concurrency must be an integer >= 1, got "0"'],
    [['--rate', 'fast'], '--rate must be a number > 0, got "fast"'],
    [['--latency', '50-10'], '--latency must be MIN-MAX with MIN <= MAX, got "50-10"'],
    [['--input-tokens', '0-10'], '--input-tokens must be MIN-MAX with MIN >= 1, got "0-10"'],
    [
      ['--arrival', 'bursts'],
      '--arrival must be one of poisson, uniform, burst, got "bursts"; did you mean burst?',
    ],
    [
      ['--faults', '418=5%'],
      '--faults must be KIND=SHARE pairs with KIND one of 400, 401, 402, 404, 429, 499, 500, 502, 503, 504, reset, got "418=5%"',
    ],
    [
      ['--faults', '503=lots'],
      '--faults must be KIND=SHARE pairs with SHARE a percentage (5%) or a fraction (0.05), got "503=lots"',
    ],
    [['--budget', '-1'], '--budget needs a value (one starting with "-" is written --budget=-1)'],
    [['--seed=-4'], '--seed must be an integer >= 0, got "-4"'],
    [['--compare=yes'], '--compare takes no value'],
    [['--calls'], '--calls needs a value'],
    [['extra'], 'unexpected argument "extra"'],
    [
      ['--time-scale', '5'],
      '--time-scale applies to --clock real only (virtual time runs as fast as it can)',
    ],
    [['--compare', '--clock', 'real'], '--compare runs in virtual time only: drop --clock real'],
    [['--svg', 'x.svg', '--clock', 'real'], '--svg draws a virtual-time run only: drop --clock real'],
  ];
  it.each(cases)('%j → exit 2 and one line naming it', async (args, message) => {
    const out = await steady(['simulate', ...args]);
    expect(out).toEqual({ code: 2, stdout: '', stderr: `steady simulate: ${message}\n` });
  });

  it('an unknown command is exit 2 with the usage', async () => {
    const out = await steady(['simulat']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      'steady: unknown command "simulat"\nusage: steady simulate [flags]  (steady simulate --help)\n',
    );
  });

  it('--help (and bare `steady`) print the flags on stdout, exit 0', async () => {
    for (const args of [['simulate', '--help'], ['simulate', '-h'], []]) {
      const out = await steady(args);
      expect(out.code).toBe(0);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/^steady simulate \[flags\]: what will this policy do under these limits\?/);
      for (const flag of ['--calls', '--faults', '--compare', '--json', '--svg', '--clock', '--time-scale'])
        expect(out.stdout).toContain(flag);
    }
  });
});
