/**
 * Many processes, one key: 4 worker processes × 100 calls handed over at once, against the
 * emulator's rolling limit of 40 calls per 6 s (a real minute scaled by 10, latency 5–20 ms real),
 * sharing the limit through one redis-server: steady + `redisStore` against Bottleneck 2's ioredis
 * clustering (reservoir 40 refreshed every 6 s), in the same run. No retries: a 429 is counted.
 *
 * Reported: the server's 429s; the achieved rate as % of N/W (as in bench/conformance.ts: the first N
 * are a burst and not counted: (accepted − N) / (t_last − t_first) × W); admission latency p50/p99
 * (from being handed to the limiter to being sent: with 400 calls at once this is mostly queueing);
 * script round trips per admitted call (EVALSHA + EVAL calls from `INFO commandstats`, for both),
 * and steady's own store operations per admitted call (counted in the worker). Then admissions per second one Redis
 * serves, for both: 4 processes × 64 loops of acquire + commit (Bottleneck: schedule) on a huge limit for 3 s.
 *
 * Run: npm run bench -- redis (~2.5 min). Needs redis-server.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../test/stores/redis-server.js';
import { startRemoteEmulator } from './conformance/remote.js';
import { table } from './lib.js';

const N = 40;
const PROCS = 4;
const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const run = promisify(execFile);
const worker = fileURLToPath(new URL('./redis/worker.ts', import.meta.url));

const port = await freePort();
const server = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const cli = (...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout;
for (let i = 0; i < 200 && cli('ping').trim() !== 'PONG'; i++) await delay(25);
/** EVALSHA and EVAL calls so far: one round trip each, for steady's and Bottleneck's scripts alike. */
const scripts = () =>
  [...cli('info', 'commandstats').matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
const version = /redis_version:([\d.]+)/.exec(cli('info', 'server'))![1];

const emu = await startRemoteEmulator({
  timeScale: 10,
  keys: { 'bench-key': { callsPerMinute: N, tokensPerMinute: 1e9 } },
  limitAlgorithm: 'rolling',
  latencyMs: { min: 50, max: 200 },
  retryAfterHeader: false,
});
const W = emu.windowMs;

async function fleet(mode: string, key: string, calls: number, margin = 0) {
  const startAt = Date.now() + 4_000; // every worker loaded and warm before the first call
  const outs = await Promise.all(
    Array.from({ length: PROCS }, () =>
      run(
        process.execPath,
        [
          '--import',
          'tsx',
          worker,
          mode,
          String(port),
          emu.url,
          String(calls),
          String(startAt),
          key,
          String(margin),
        ],
        {
          maxBuffer: 1 << 24,
        },
      ),
    ),
  );
  return outs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const rows: (string | number)[][] = [];
for (const [name, mode, margin] of [
  ['steady + redisStore, safetyMarginMs 50 (500 scaled like W)', 'steady', 50],
  ['steady + redisStore, safetyMarginMs 250', 'steady', 250],
  ['bottleneck 2 + ioredis clustering', 'bottleneck', 0],
] as const) {
  await delay(W + 200);
  await emu.reset();
  cli('flushall');
  cli('config', 'resetstat');
  const reports = await fleet(mode, `bench-${mode}`, CALLS, margin);
  const trips = scripts();
  const log = reports.flatMap((r) => r.log as { queued: number; sent: number; status: number }[]);
  const stats = await emu.stats();
  const ok = log.filter((e) => e.status === 200);
  const first = Math.min(...log.map((e) => e.sent));
  const last = Math.max(...ok.map((e) => e.sent));
  const rate = ((ok.length - N) / (last - first)) * W;
  const waits = ok.map((e) => e.sent - e.queued);
  const ops = reports.reduce((s, r) => s + r.ops, 0);
  rows.push([
    name,
    stats.rateLimited.calls,
    `${stats.accepted}/${stats.requests}`,
    `${((rate / N) * 100).toFixed(1)} %`,
    `${pct(waits, 50)} / ${pct(waits, 99)}`,
    (trips / ok.length).toFixed(2),
    mode === 'steady' ? (ops / ok.length).toFixed(2) : '—',
  ]);
  const at429 = [
    ...new Set(log.filter((e) => e.status === 429).map((e) => ((e.sent - first) / 1000).toFixed(1))),
  ];
  const sent = log.map((e) => e.sent).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sent.length; i++) {
    while (sent[j]! < sent[i]! - W + 1) j++;
    most = Math.max(most, i - j + 1);
  }
  console.error(
    `${name}: ${log.length} sent, ${ok.length} accepted; at most ${most} sent in any ${W} ms (client clocks); ` +
      `429s sent at t = ${at429.slice(0, 12).join(', ')} s`,
  );
}

const perSecond: string[] = [];
for (const mode of ['throughput', 'throughput-bottleneck']) {
  cli('flushall');
  const tp = await fleet(mode, `bench-${mode}`, 0);
  perSecond.push(Math.round(tp.reduce((s, r) => s + r.admitted, 0) / 3).toLocaleString('en'));
}
rows[0]!.push(perSecond[0]!);
rows[1]!.push('(the same store)');
rows[2]!.push(perSecond[1]!);
await emu.close();
server.kill('SIGTERM');

console.log(
  `\n## Many processes, one key: ${PROCS} processes × ${CALLS} calls at once, server limit ${N} per rolling ${W} ms, ` +
    `Redis ${version}, node ${process.version}\n`,
);
console.log(
  table(
    [
      'contender',
      '429s',
      'accepted/requests',
      '% of N/W',
      'admission p50 / p99 ms',
      'EVALSHA+EVAL / admitted',
      'store ops / admitted',
      'admissions/s, one Redis',
    ],
    rows,
  ),
);
console.log(
  `\nAdmissions/s: ${PROCS} processes × 64 loops on a huge limit for 3 s, each loop acquire + commit (steady) ` +
    'or schedule (Bottleneck), one at a time.',
);
