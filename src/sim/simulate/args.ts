/**
 * `steady simulate`'s flags, parsed with `node:util` parseArgs. A bad flag is a `UsageError` naming
 * it: the CLI prints its one line and exits with code 2.
 */
import { parseArgs } from 'node:util';
import { nearest } from '../../validate.js';
import type { FaultStatus } from '../emulator/types.js';
import { COMPARED, DEFAULTS, PLAN_LIMITS } from './defaults.js';
import type { Arrival, FaultShare, Range, SimulateOptions } from './types.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const FLAGS = {
  calls: { type: 'string' },
  rate: { type: 'string' },
  arrival: { type: 'string' },
  concurrency: { type: 'string' },
  'input-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  plan: { type: 'string' },
  'calls-limit': { type: 'string' },
  'tokens-limit': { type: 'string' },
  server: { type: 'string' },
  latency: { type: 'string' },
  attempts: { type: 'string' },
  backoff: { type: 'string' },
  budget: { type: 'string' },
  preset: { type: 'string' },
  faults: { type: 'string' },
  seed: { type: 'string' },
  clock: { type: 'string' },
  'time-scale': { type: 'string' },
  compare: { type: 'boolean' },
  json: { type: 'boolean' },
  svg: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ParsedArgs {
  options: SimulateOptions;
  help: boolean;
  json: boolean;
  svg?: string;
}

const FAULT_KINDS: readonly (FaultStatus | 'reset')[] = [
  400,
  401,
  402,
  404,
  429,
  499,
  500,
  502,
  503,
  504,
  'reset',
];

const bad = (flag: string, what: string, value: string) =>
  new UsageError(`--${flag} must be ${what}, got ${JSON.stringify(value)}`);

function num(flag: string, value: string, { integer = false, min = 0, above = false } = {}): number {
  const n = value.trim() === '' ? Number.NaN : Number(value.replaceAll('_', ''));
  const ok = Number.isFinite(n) && (above ? n > min : n >= min) && (!integer || Number.isInteger(n));
  if (!ok) {
    const what = `${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}`;
    throw bad(flag, what, value);
  }
  return n;
}

/** `MIN-MAX` or one number (both ends), each >= 0, min <= max. */
function range(flag: string, value: string): Range {
  const parts = value.split('-');
  if (parts.length > 2) throw bad(flag, 'MIN-MAX or one number', value);
  const [lo, hi = lo] = parts.map((p) => num(flag, p, { integer: true }));
  if (lo! > hi!) throw bad(flag, 'MIN-MAX with MIN <= MAX', value);
  return [lo!, hi!];
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const near = nearest(value, allowed);
  throw new UsageError(
    `--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}${near ? `; did you mean ${near}?` : ''}`,
  );
}

/** `429=5%,503=5%,reset=5%` (or fractions: `429=0.05`); `none` for no faults. */
export function parseFaults(value: string): FaultShare[] {
  if (value === 'none' || value === '0') return [];
  const out: FaultShare[] = [];
  for (const item of value.split(',')) {
    const [kindText = '', shareText = ''] = item.split('=');
    const kind = kindText === 'reset' ? 'reset' : Number(kindText);
    if (!FAULT_KINDS.includes(kind as FaultStatus)) {
      throw bad('faults', `KIND=SHARE pairs with KIND one of ${FAULT_KINDS.join(', ')}`, item);
    }
    const percent = shareText.endsWith('%');
    const n = Number(percent ? shareText.slice(0, -1) : shareText);
    if (shareText === '' || !Number.isFinite(n) || n < 0) {
      throw bad('faults', 'KIND=SHARE pairs with SHARE a percentage (5%) or a fraction (0.05)', item);
    }
    out.push({ kind: kind as FaultShare['kind'], share: percent ? n / 100 : n });
  }
  const total = out.reduce((sum, f) => sum + f.share, 0);
  if (total > 1) throw bad('faults', 'shares adding up to at most 100%', value);
  return out;
}

/** parseArgs's own errors, as one line naming the flag. */
function parseError(error: unknown): UsageError {
  const e = error as { code?: string; message?: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message ?? '')?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = nearest(flag.replace(/^-+/, ''), Object.keys(FLAGS));
    return new UsageError(`unknown flag ${flag}${near ? `; did you mean --${near}?` : ''}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/ambiguous/.test(e.message ?? ''))
      return new UsageError(`${flag} needs a value (one starting with "-" is written ${flag}=-1)`);
    return new UsageError(
      FLAGS[flag.replace(/^-+/, '') as keyof typeof FLAGS]?.type === 'boolean'
        ? `${flag} takes no value`
        : `${flag} needs a value`,
    );
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(e.message ?? '')?.[1] ?? '';
    return new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  return new UsageError(e.message ?? String(error));
}

/** The flags after `simulate`, as options over the defaults. */
export function parseSimulateArgs(argv: readonly string[]): ParsedArgs {
  let values: Partial<Record<keyof typeof FLAGS, string | boolean>>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw parseError(error);
  }
  const v = values as Partial<Record<string, string>>;
  const o: SimulateOptions = { ...DEFAULTS, limits: { ...DEFAULTS.limits } };
  if (v.calls !== undefined) o.calls = num('calls', v.calls, { integer: true, min: 1 });
  if (v.rate !== undefined) o.rate = num('rate', v.rate, { above: true });
  if (v.arrival !== undefined)
    o.arrival = choice<Arrival>('arrival', v.arrival, ['poisson', 'uniform', 'burst']);
  if (v.concurrency !== undefined) {
    o.concurrency =
      v.concurrency === 'unbounded'
        ? Number.POSITIVE_INFINITY
        : num('concurrency', v.concurrency, { integer: true, min: 1 });
  }
  if (v['input-tokens'] !== undefined) o.inputTokens = positiveRange('input-tokens', v['input-tokens']);
  if (v['output-tokens'] !== undefined) o.outputTokens = positiveRange('output-tokens', v['output-tokens']);
  if (v.plan !== undefined) {
    const plan = choice('plan', v.plan, ['trial', 'production']);
    o.limits = { ...PLAN_LIMITS[plan], plan };
  }
  if (v['calls-limit'] !== undefined)
    o.limits.calls = num('calls-limit', v['calls-limit'], { integer: true, min: 1 });
  if (v['tokens-limit'] !== undefined)
    o.limits.tokens = num('tokens-limit', v['tokens-limit'], { integer: true, min: 1 });
  if (v.server !== undefined) o.server = choice('server', v.server, ['rolling', 'fixed', 'bucket']);
  if (v.latency !== undefined) o.latencyMs = range('latency', v.latency);
  if (v.attempts !== undefined) o.attempts = num('attempts', v.attempts, { integer: true, min: 1 });
  if (v.backoff !== undefined) {
    o.backoffMs = range('backoff', v.backoff);
    if (o.backoffMs[0] <= 0) throw bad('backoff', 'BASE-MAX with BASE > 0', v.backoff);
  }
  if (v.budget !== undefined)
    o.budget = v.budget === 'off' ? false : num('budget', v.budget, { integer: true, min: 1 });
  if (v.preset !== undefined) o.preset = choice('preset', v.preset, ['cohere', 'http']);
  if (v.faults !== undefined) o.faults = parseFaults(v.faults);
  if (v.seed !== undefined) o.seed = num('seed', v.seed, { integer: true });
  if (v.clock !== undefined) o.clock = choice('clock', v.clock, ['virtual', 'real']);
  if (v['time-scale'] !== undefined) o.timeScale = num('time-scale', v['time-scale'], { above: true });
  if (values.compare) o.strategies = COMPARED;
  if (o.clock === 'virtual' && v['time-scale'] !== undefined)
    throw new UsageError('--time-scale applies to --clock real only (virtual time runs as fast as it can)');
  if (o.clock === 'real' && values.compare)
    throw new UsageError('--compare runs in virtual time only: drop --clock real');
  if (o.clock === 'real' && v.svg !== undefined)
    throw new UsageError('--svg draws a virtual-time run only: drop --clock real');
  if (v.svg === '') throw new UsageError('--svg needs a file name');
  return {
    options: o,
    help: values.help === true,
    json: values.json === true,
    ...(v.svg !== undefined && { svg: v.svg }),
  };
}

function positiveRange(flag: string, value: string): Range {
  const r = range(flag, value);
  if (r[0] < 1) throw bad(flag, 'MIN-MAX with MIN >= 1', value);
  return r;
}
