/**
 * The load and fault run's callers, as their own process (test/load/load.test.ts starts it beside
 * the fault server it runs): many concurrent calls through ONE policy, shared by steadyFetch, got
 * and axios, with a share of callers aborting at random. It prints one JSON line with what every
 * caller got and must then exit by itself: a timer, socket or listener steady left behind keeps it
 * alive, and the test sees that.
 *
 * Usage: node --import tsx test/load/load-run.ts <server url | -> [calls] [seed] [--budget]
 * (`-` runs the fault server in this process; `--budget` keeps the default retry budget on).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import got from 'got';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import { exponential } from '../../src/backoff/index.js';
import { isSteadyError } from '../../src/errors/index.js';
import { MemoryStore } from '../../src/limit/index.js';
import type { LimiterStore } from '../../src/limit/store.js';
import { createPolicy } from '../../src/policy/policy.js';
import { cohere } from '../../src/presets/index.js';
import { seededRandom } from '../../src/testing.js';
import { LIMIT } from './scenario.js';

export interface LoadReport {
  submitted: number;
  succeeded: number;
  failed: number;
  aborted: number;
  /** Resolved, but the body was not the whole body the server sent. */
  truncated: number;
  /** Rejected with something that is neither a SteadyError nor the caller's abort reason. */
  foreign: number;
  /** The first few of those, for the failure message. */
  foreignSamples: { name: string; message: string }[];
  failedBy: Record<string, number>;
  byClient: Record<string, number>;
  limit: { calls: number; windowMs: number };
  attempts: number;
  /** Retries by verdict reason and status (or error code). */
  retriesBy: Record<string, number>;
  /** The most admissions the ledger made in any rolling window of `limit.windowMs` (its own clock). */
  maxAdmittedInWindow: number;
  /** Reservations given back whole (the request never left): they would make the count above high. */
  released: number;
  elapsedMs: number;
}

/** The most of the sorted `times` that fall in any window (t - windowMs, t]. */
function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[lo]! <= times[hi]! - windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

/** Starts test/load/serve.ts in a child process; resolves once it printed its URL. */
function serveApart(seed: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./serve.ts', import.meta.url)), String(seed)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve) => {
    child.stdout.once('data', (c: Buffer) =>
      resolve({ url: c.toString().trim(), stop: () => child.kill('SIGTERM') }),
    );
  });
}

export async function runLoad(url: string, calls: number, seed: number, budget = false): Promise<LoadReport> {
  const limits = { calls: { limit: LIMIT.calls, windowMs: LIMIT.windowMs } };
  // The ledger's own record of what it admitted and when (its clock), to check every rolling window.
  const admittedAt: number[] = [];
  const ledger = new MemoryStore({ limits, safetyMarginMs: 100 });
  const store: LimiterStore = {
    tryReserve(id, cost, now, hold) {
      const r = ledger.tryReserve(id, cost, now, hold);
      if (r.ok) admittedAt.push(now);
      return r;
    },
    settle: (id, actual, now) => ledger.settle(id, actual, now),
    release(id, now) {
      // A call that never reached the server gives its place back: it leaves the record too.
      ledger.release(id, now);
      released++;
    },
    pause: (ms, now) => ledger.pause(ms, now),
  };
  let released = 0;
  const policy = createPolicy({
    ...cohere(),
    limits,
    limiter: { store },
    // A 30 % fault mix in one burst is no healthy service: the retry budget would rightly refuse most
    // retries (test/budget covers that). Here every fault kind must be retried to a whole answer.
    ...(budget ? {} : { budget: false as const }),
    retry: {
      maxAttempts: 6,
      attemptTimeoutMs: 1_500,
      maxElapsedMs: 60_000,
      backoff: exponential({ baseMs: 5, maxMs: 200 }),
    },
  });
  let attempts = 0;
  policy.on('attempt', () => {
    attempts++;
  });
  const retriesBy: Record<string, number> = {};
  policy.on('retry', (e) => {
    const k = `${e.verdict.reason}/${e.verdict.status ?? (e.error as { code?: string })?.code ?? (e.error as Error)?.name}`;
    retriesBy[k] = (retriesBy[k] ?? 0) + 1;
  });

  const fetchApi = steadyFetch(policy);
  const gotApi = got.extend({ prefixUrl: url }, gotPolicy(policy));
  const axiosApi = axios.create({ baseURL: url });
  attachPolicy(axiosApi, policy);

  const random = seededRandom(seed + 1);
  const report: LoadReport = {
    submitted: calls,
    succeeded: 0,
    failed: 0,
    aborted: 0,
    truncated: 0,
    foreign: 0,
    foreignSamples: [],
    failedBy: {},
    byClient: {},
    limit: LIMIT,
    attempts: 0,
    retriesBy: {},
    maxAdmittedInWindow: 0,
    released: 0,
    elapsedMs: 0,
  };
  const whole = (body: unknown): boolean => {
    const b = body as { pad?: unknown; len?: unknown } | null;
    return typeof b?.pad === 'string' && b.pad.length === b.len;
  };

  const one = async (i: number): Promise<void> => {
    const client = i % 5 < 3 ? 'fetch' : i % 5 === 3 ? 'got' : 'axios';
    report.byClient[client] = (report.byClient[client] ?? 0) + 1;
    const controller = new AbortController();
    let abortTimer: ReturnType<typeof setTimeout> | undefined;
    if (random.next() < 0.1) {
      abortTimer = setTimeout(
        () => controller.abort(new Error(`caller ${i} gave up`)),
        random.next() * 3_000,
      );
    }
    const { signal } = controller;
    try {
      let body: unknown;
      if (client === 'fetch') {
        const res = await fetchApi(`${url}/v2/chat?i=${i}`, { signal });
        body = JSON.parse(await res.text());
      } else if (client === 'got') {
        body = await gotApi.get(`v2/chat?i=${i}`, { signal }).json();
      } else {
        body = (await axiosApi.get(`/v2/chat?i=${i}`, { signal })).data;
      }
      if (whole(body)) report.succeeded++;
      else report.truncated++;
    } catch (err) {
      if (signal.aborted && err === signal.reason) report.aborted++;
      else if (isSteadyError(err)) {
        report.failed++;
        const key = `${err.name}/${err.verdict && 'reason' in err.verdict ? err.verdict.reason : '-'}`;
        report.failedBy[key] = (report.failedBy[key] ?? 0) + 1;
      } else {
        // A body that could not be read after a "success" lands here too.
        const e = err as Error;
        report.foreign++;
        if (report.foreignSamples.length < 5)
          report.foreignSamples.push({ name: String(e?.name), message: String(e?.message) });
      }
    } finally {
      clearTimeout(abortTimer);
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: calls }, (_, i) => one(i)));
  report.elapsedMs = Math.round(performance.now() - started);
  report.attempts = attempts;
  report.retriesBy = retriesBy;
  report.maxAdmittedInWindow = maxInAnyWindow(admittedAt, LIMIT.windowMs);
  report.released = released;
  return report;
}

const [, , urlArg, callsArg, seedArg] = process.argv;
if (!urlArg) throw new Error('usage: load-run.ts <server url | -> [calls] [seed] [--budget]');
const seed = Number(seedArg ?? 1);
// `-`: start the fault server as a process of its own (for a figure by hand; sharing this
// process's one core with 10,000 callers would time out the callers, not test steady).
const own = urlArg === '-' ? await serveApart(seed) : undefined;
const report = await runLoad(
  own?.url ?? urlArg,
  Number(callsArg ?? 10_000),
  seed,
  process.argv.includes('--budget'),
);
own?.stop();
process.stdout.write(`${JSON.stringify(report)}\n`);
// If steady left a timer, socket or listener behind, the process stays up: say what it was.
setTimeout(() => {
  process.stderr.write(`still alive: ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
}, 3_000).unref();
