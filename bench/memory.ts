/**
 * Memory per queued call and the time to enqueue, with QUEUED calls waiting behind a limiter that
 * admits none of them yet: steady's `limiter.acquire` and a full `policy.run(fn)`, against
 * bottleneck 2 (`schedule` with reservoir 0) and p-queue 8 (`add` behind a first job that has not
 * ended, concurrency 1).
 *
 * bytes/queued call = (heapUsed after gc with the calls queued − heapUsed after gc before) / QUEUED.
 * The caller's promises are kept in an array allocated before the baseline, so each call's promise is
 * counted (a caller holds it) but the array is not. Enqueue time runs until the library reports all
 * QUEUED calls queued (bottleneck queues asynchronously). Then every call is let through and counted.
 * Median of BENCH_ROUNDS rounds (default 3). Needs --expose-gc (npm run bench -- memory passes it).
 */
import Bottleneck from 'bottleneck';
import PQueue from 'p-queue';
import type { Clock } from '../src/clock.js';
import { createPolicy } from '../src/index.js';
import { createLimiter } from '../src/limit/index.js';
import { median, table } from './lib.js';

const QUEUED = Number(process.env.BENCH_QUEUED ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BOTTLENECK_QUEUED = Math.min(QUEUED, Number(process.env.BENCH_BOTTLENECK_QUEUED ?? 10_000));
const HOUR = 3_600_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench -- memory)');

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}
const tick = () => new Promise<void>((r) => setImmediate(r));
const nap = () => new Promise<void>((r) => setTimeout(r, 2));

/**
 * A clock frozen while calls are enqueued; `travel()` then makes every `now()` an hour later than the
 * last and fires the pending timers, so a limit of 1 call an hour admits every waiter at once.
 */
function timeMachine(): Clock & { travel(): void } {
  let t = 0;
  let step = 0;
  const timers = new Map<number, () => void>();
  let ids = 0;
  return {
    now: () => (t += step),
    setTimeout: (fn) => {
      timers.set(++ids, fn);
      return ids;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    travel() {
      step = 2 * HOUR;
      for (const [id, fn] of [...timers]) {
        timers.delete(id);
        fn();
      }
    },
  };
}

/**
 * One contender: `setup` admits the first call; `enqueue` queues one more; `queued` counts; `release`
 * lets all through (or rejects them). `count` overrides QUEUED, `rounds` overrides ROUNDS.
 */
interface Case {
  setup(): Promise<void>;
  enqueue(): Promise<unknown>;
  queued(): number;
  release(): unknown;
  count?: number;
  rounds?: number;
}

const job = async () => 1;

const cases: Record<string, () => Case> = {
  'steady limiter.acquire': () => {
    const clock = timeMachine();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: HOUR } }, clock });
    const cost = { calls: 1 };
    return {
      setup: async () => void (await limiter.acquire(cost)),
      enqueue: () => limiter.acquire(cost),
      queued: () => limiter.queued,
      release: () => clock.travel(),
    };
  },
  'steady policy.run(fn)': () => {
    const clock = timeMachine();
    const limiter = createLimiter({ limits: { calls: { limit: 1, windowMs: HOUR } }, clock });
    const policy = createPolicy({ limiter, clock, retry: { maxAttempts: 1 } });
    return {
      setup: async () => void (await policy.run(job)),
      enqueue: () => policy.run(job),
      queued: () => limiter.queued,
      release: () => clock.travel(),
    };
  },
  'steady policy.run(fn), limits 1/min, default retry': () => {
    const clock = timeMachine();
    const policy = createPolicy({ limits: { calls: { limit: 1, windowMs: 60_000 } }, clock });
    const limiter = policy.limiter as unknown as { queued: number };
    return {
      setup: async () => void (await policy.run(job)),
      enqueue: () => policy.run(job),
      queued: () => limiter.queued,
      release: () => clock.travel(),
    };
  },
  // Bottleneck's local datastore awaits a setTimeout(0) for every submitted job, so queueing takes
  // ~2 ms of wall time a job (not CPU): 100,000 would take minutes. It gets BOTTLENECK_QUEUED, once.
  [`bottleneck 2 schedule (reservoir 0), ${BOTTLENECK_QUEUED.toLocaleString('en')} queued`]: () => {
    const b = new Bottleneck({ reservoir: 0 });
    return {
      setup: async () => {},
      enqueue: () => b.schedule(job),
      queued: () => b.counts().QUEUED ?? 0,
      release: () => b.stop({ dropWaitingJobs: true }),
      count: BOTTLENECK_QUEUED,
      rounds: 1,
    };
  },
  'p-queue 8 add (concurrency 1, first job running)': () => {
    const q = new PQueue({ concurrency: 1 });
    let unblock!: () => void;
    return {
      setup: async () => {
        q.add(() => new Promise<void>((r) => (unblock = r)));
        await tick();
      },
      enqueue: () => q.add(job),
      queued: () => q.size,
      release: () => unblock(),
    };
  },
};

interface Sample {
  n: number;
  bytes: number;
  /** ns a call in the enqueue loop itself. */
  syncNs: number;
  /** ns a call until the library reports every call queued. */
  ns: number;
  settled: number;
}

async function measure(c: Case): Promise<Sample> {
  const n = c.count ?? QUEUED;
  await c.setup();
  const promises: Promise<unknown>[] = new Array(n).fill(undefined);
  const before = heap();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) promises[i] = c.enqueue();
  const syncNs = Number(process.hrtime.bigint() - t0) / n;
  if (c.queued() < n) await tick();
  while (c.queued() < n) await nap();
  const ns = Number(process.hrtime.bigint() - t0) / n;
  const bytes = (heap() - before) / n;
  let settled = 0;
  const count = () => void settled++;
  const counted = promises.map((p) => p.then(count, count));
  await c.release();
  await Promise.all(counted);
  return { n, bytes, syncNs, ns, settled };
}

const results: Record<string, Sample[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, make] of Object.entries(cases)) {
    const c = make();
    if (r < (c.rounds ?? ROUNDS)) results[name]!.push(await measure(c));
  }
}

const summary = Object.entries(results).map(([name, samples]) => ({
  name,
  n: samples[0]!.n,
  bytes: median(samples.map((s) => s.bytes)),
  syncNs: median(samples.map((s) => s.syncNs)),
  ns: median(samples.map((s) => s.ns)),
  settled: Math.min(...samples.map((s) => s.settled)),
}));
const anchors = summary.filter((s) => !s.name.startsWith('steady'));
const bestBytes = Math.min(...anchors.map((s) => s.bytes));
const bestNs = Math.min(...anchors.map((s) => s.ns));

console.log(
  `\n## Memory per queued call (median of ${ROUNDS} rounds unless said), node ${process.version}\n`,
);
console.log(
  table(
    [
      'case',
      'queued',
      'bytes/call',
      'vs best anchor',
      'enqueue ms',
      'ns/call',
      'vs best anchor',
      'loop ns/call',
      'settled',
    ],
    summary.map((s) => [
      s.name,
      s.n.toLocaleString('en'),
      s.bytes.toFixed(0),
      `${(s.bytes / bestBytes).toFixed(2)}×`,
      ((s.ns * s.n) / 1e6).toFixed(1),
      s.ns.toFixed(0),
      `${(s.ns / bestNs).toFixed(2)}×`,
      s.syncNs.toFixed(0),
      `${s.settled}/${s.n}`,
    ]),
  ),
);
console.log(
  "\nbytes/call: heap growth after gc with the calls queued, over the count (each call's promise " +
    'included). enqueue: until the library reports every call queued; loop: the enqueue calls alone. ' +
    'Anchors: bottleneck and p-queue. settled: calls that resolved or rejected after the release.',
);
