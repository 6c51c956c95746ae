/**
 * Real-HTTP conformance against the emulator's rolling-window limit (N calls per scaled window W):
 * each contender gets all CALLS requests at once, sends them as fast as its scheduler admits them,
 * and never retries (a 429 is counted, not retried). Reported per contender: the server's 429s, the
 * most calls the server accepted in any rolling window (never above N: a 429 is not charged), the
 * most calls the client sent in any rolling window, and the achieved rate.
 *
 * The emulator runs in a child process (bench/conformance/server.ts), as a real server would: on one
 * event loop the server's work queues behind the client's and adds arrival jitter. Every contender
 * starts warm (sockets open, fetch loaded) after a pause of one window and an emulator reset.
 *
 * Achieved rate: the first N calls may all go at t = 0, so the rate is measured after them:
 *   rate = (accepted − N) / (t_last − t_first) × W   calls per window, shown as a % of N,
 * where t_first is when the first request was handed to fetch and t_last when the last request that
 * the server accepted was handed to fetch (client clock; arrival is a few ms later on loopback).
 * A perfect rolling-window scheduler sends N at 0, W, 2W, …: (CALLS − N) / ((CALLS/N − 1) × W) × W = N.
 *
 * The bench scales a real minute down by BENCH_TIMESCALE; steady's safety margin is scaled with it
 * (its 500 ms default for a one-minute window becomes 50 ms at W = 6 s), as latency is. A second
 * steady row keeps the library's default for a window this short (1 % of W) instead.
 *
 * Run: npm run bench -- conformance (~6 min). Env: BENCH_TIMESCALE (10: W = 6 s), BENCH_CALLS (400),
 * BENCH_WARMUP=0 (start cold), BENCH_RETRIES=0 (drop the retries row), BENCH_MARGIN_MS=x (add a row:
 * steady with safetyMarginMs x).
 */
import { setTimeout as delay } from 'node:timers/promises';
import Bottleneck from 'bottleneck';
import PQueue from 'p-queue';
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { createPolicy } from '../src/index.js';
import { startRemoteEmulator } from './conformance/remote.js';
import { table } from './lib.js';

const N = 40;
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const TIME_SCALE = Number(process.env.BENCH_TIMESCALE ?? 10);
/** steady's default margin for a real one-minute window (500 ms), scaled with the window like everything else. */
const SCALED_MARGIN_MS = 500 / TIME_SCALE;
/** Real (unscaled) server latency, ms: the emulator divides `latencyMs` by `timeScale`. */
const LATENCY = { min: 5, max: 20 };
const KEY = 'bench-key';

const emu = await startRemoteEmulator({
  timeScale: TIME_SCALE,
  keys: { [KEY]: { callsPerMinute: N, tokensPerMinute: 1e9 } },
  limitAlgorithm: 'rolling',
  latencyMs: { min: LATENCY.min * TIME_SCALE, max: LATENCY.max * TIME_SCALE },
  // Retry-After is whole seconds (≥ 1): at W = 2 s that is a 30 s hint at real scale. Without it
  // steady pauses its default W/60 after a 429 (1 s at real scale); the other contenders ignore it.
  retryAfterHeader: false,
});
const W = emu.windowMs;
const URL_ = `${emu.url}/v2/chat`;
const BODY = JSON.stringify({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] });
const INIT: RequestInit = {
  method: 'POST',
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  body: BODY,
};

/** Every request handed to fetch: when, and the status that came back. */
let log: { at: number; status: number }[] = [];
type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
const recordingFetch: FetchLike = async (input, init) => {
  const entry = { at: performance.now(), status: 0 };
  log.push(entry);
  const res = await fetch(input, init);
  entry.status = res.status;
  return res;
};
/** One plain call: send, read the body, report the status (no retry). */
const send = async (): Promise<number> => {
  const res = await recordingFetch(URL_, INIT);
  await res.arrayBuffer();
  return res.status;
};

/** A plain continuous token bucket: capacity N, refilled at N per W, FIFO waiters, one timer. */
class TokenBucket {
  #tokens: number;
  #last = performance.now();
  #waiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
  ) {
    this.#tokens = capacity;
  }
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#drain();
    });
  }
  #drain(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#last) * this.perMs);
    this.#last = now;
    while (this.#waiters.length && this.#tokens >= 1) {
      this.#tokens--;
      this.#waiters.shift()!();
    }
    if (this.#waiters.length && !this.#timer) {
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          this.#drain();
        },
        (1 - this.#tokens) / this.perMs,
      );
    }
  }
}

/** Runs `fn` `n` times at once; resolves when all settled. */
const all = (fn: () => Promise<unknown>, n = CALLS) =>
  Promise.allSettled(Array.from({ length: n }, () => fn()));

/** steady's policy around fetch (the `steady/fetch` adapter), recording what it sends. */
function steadyRun(maxAttempts: number, safetyMarginMs?: number) {
  return () => {
    const policy = createPolicy({
      limits: { calls: { limit: N, windowMs: W } },
      limiter: safetyMarginMs === undefined ? undefined : { safetyMarginMs },
      retry: { maxAttempts },
    });
    const f = steadyFetch(policy, recordingFetch);
    return all(() => f(URL_, INIT).then((r) => r.arrayBuffer()));
  };
}

const contenders: Record<string, () => Promise<unknown>> = {
  [`steady (steadyFetch, maxAttempts 1, margin ${SCALED_MARGIN_MS} ms)`]: steadyRun(1, SCALED_MARGIN_MS),
  'bottleneck 2 (reservoir N, refresh N every W)': async () => {
    const b = new Bottleneck({
      reservoir: N,
      reservoirRefreshAmount: N,
      reservoirRefreshInterval: W,
      maxConcurrent: null,
    });
    await all(() => b.schedule(send));
    await b.disconnect();
  },
  'p-queue 8 (intervalCap N, interval W)': () => {
    const q = new PQueue({ intervalCap: N, interval: W });
    return all(() => q.add(send));
  },
  'token bucket (capacity N, N per W continuous)': () => {
    const bucket = new TokenBucket(N, N / W);
    return all(() => bucket.take().then(send));
  },
};
contenders['extra: steady, default margin for this W (1 %)'] = steadyRun(1);
if (process.env.BENCH_RETRIES !== '0') {
  contenders[`extra: steady, retries on (maxAttempts 6, margin ${SCALED_MARGIN_MS} ms)`] = steadyRun(
    6,
    SCALED_MARGIN_MS,
  );
}
const margin = process.env.BENCH_MARGIN_MS;
if (margin)
  contenders[`extra: steady, safetyMarginMs ${margin}, maxAttempts 1`] = steadyRun(1, Number(margin));

/** The most entries of `times` (sorted) in any half-open window of `W` ms. */
function maxInWindow(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[i]! <= times[j]! - W) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

// Warm-up: the first fetch of a process loads undici and opens its sockets, which delays the first
// burst's arrival by tens of ms: more than the scaled safety margin (1 % of W = 20 ms at W = 2 s),
// though not more than the 500 ms margin of a real one-minute window. Every contender starts warm.
if (process.env.BENCH_WARMUP !== '0') await all(send, N);

const rows: (string | number)[][] = [];
for (const [name, run] of Object.entries(contenders)) {
  await delay(W + 200); // the previous contender's calls have left every window
  await emu.reset();
  log = [];
  const t0 = performance.now();
  const settled = (await run()) as PromiseSettledResult<unknown>[] | undefined;
  const wallMs = performance.now() - t0;
  const s = await emu.stats();
  const ok = log.filter((e) => e.status === 200).map((e) => e.at);
  const first = Math.min(...log.map((e) => e.at));
  const last = Math.max(...ok);
  const rate = ok.length > N && last > first ? ((ok.length - N) / (last - first)) * W : Number.NaN;
  const failed = Array.isArray(settled) ? settled.filter((r) => r.status === 'rejected').length : 0;
  rows.push([
    name,
    s.rateLimited.calls,
    `${s.accepted}/${s.requests}`,
    s.maxCallsInAnyWindow,
    maxInWindow(log.map((e) => e.at)),
    rate.toFixed(2),
    `${((rate / N) * 100).toFixed(1)} %`,
    (wallMs / 1000).toFixed(1),
  ]);
  const why = Array.isArray(settled) ? settled.find((r) => r.status === 'rejected') : undefined;
  const reason = why ? `, e.g. ${String((why as PromiseRejectedResult).reason).slice(0, 160)}` : '';
  const at429 = [
    ...new Set(log.filter((e) => e.status === 429).map((e) => Math.round((e.at - first) / 100) / 10)),
  ];
  const when = at429.length ? `; 429s sent at t = ${at429.slice(0, 12).join(', ')} s` : '';
  console.error(
    `${name}: done in ${(wallMs / 1000).toFixed(1)} s (${failed} calls rejected${reason}${when})`,
  );
}
await emu.close();

console.log(
  `\n## Conformance: ${CALLS} calls at once, server limit ${N} per rolling ${W} ms ` +
    `(emulator timeScale ${TIME_SCALE}, latency ${LATENCY.min}–${LATENCY.max} ms real), no retries unless said, node ${process.version}\n`,
);
console.log(
  table(
    [
      'contender',
      '429s',
      'accepted/requests',
      `server: max accepted in any ${W} ms`,
      'client: max sent in one',
      'rate /window',
      '% of N/W',
      'wall s',
    ],
    rows,
  ),
);
console.log(
  `\nrate = (accepted − ${N}) / (t_last − t_first) × W: t_first = first request sent, t_last = last ` +
    'accepted request sent (client clock); the first N are a burst at t = 0 and are not counted.',
);
