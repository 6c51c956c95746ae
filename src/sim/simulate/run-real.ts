/**
 * Real time over HTTP: the workload through `steadyFetch` against `startEmulator`, every minute
 * `timeScale` times shorter (the limits' windows, arrivals and latencies alike). Backoff and the
 * server's Retry-After are whole real durations, so under a large scale they weigh more.
 */
import { steadyFetch } from '../../adapters/fetch/index.js';
import { systemClock } from '../../clock.js';
import { seededRandom } from '../../testing.js';
import { startEmulator } from '../emulator/index.js';
import { faultOptions } from './fault-mix.js';
import { type CallRecord, codeOf, newRecord } from './record.js';
import { MODEL } from './server.js';
import { Slots } from './slots.js';
import { simulatedPolicy, trackPolicy } from './strategies/steady.js';
import { summarise } from './summarise.js';
import type { SimulateOptions, StrategyReport } from './types.js';
import { workload } from './workload.js';

export const REAL_MARGIN_MS = 100;

/** A prompt of about `tokens` tokens as the emulator counts them (4 characters a token). */
const prompt = (tokens: number) => 'word '.repeat(Math.max(1, Math.round((tokens * 4) / 5)));

export async function runReal(
  options: SimulateOptions,
  onProgress?: (settled: number, total: number) => void,
): Promise<{ result: StrategyReport; windowMs: number }> {
  const scale = options.timeScale;
  const faults = faultOptions(options.faults);
  const emu = await startEmulator({
    timeScale: scale,
    seed: options.seed,
    keys: {
      'sim-key': {
        callsPerMinute: options.limits.calls,
        tokensPerMinute: options.limits.tokens,
        plan: options.limits.plan,
      },
    },
    limitAlgorithm: options.server,
    latencyMs: { min: options.latencyMs[0], max: options.latencyMs[1] },
    ...(faults && { faults }),
  });
  try {
    const windowMs = emu.windowMs;
    // Spent calls come back a window after they were sent, plus a margin for the time a request
    // takes to reach the server. That time does not shrink with the scale: a real minute's default
    // margin is 500 ms; a scaled one gets 100 ms (localhost under load), not 1 % of its window.
    const policy = simulatedPolicy(options, systemClock, { windowMs, safetyMarginMs: REAL_MARGIN_MS });
    const started = Date.now();
    const now = () => Date.now() - started;
    const current = trackPolicy(policy, now);
    policy.on('attempt', (e) => {
      const record = current.getStore();
      if (!record) return;
      record.attempts = e.attempt;
      record.startedAt ??= e.startedAt - started;
    });
    const fetch = steadyFetch(policy);
    const calls = workload(options, seededRandom(options.seed + 1));
    const slots = new Slots(options.concurrency);
    const records: CallRecord[] = [];
    let settled = 0;
    await Promise.all(
      calls.map(async (call) => {
        await new Promise((resolve) => setTimeout(resolve, call.at / scale));
        const record = newRecord(call.id, now());
        records.push(record);
        await slots.run(() =>
          current.run(record, async () => {
            try {
              const res = await fetch(`${emu.url}/v2/chat`, {
                method: 'POST',
                headers: { authorization: 'Bearer sim-key', 'content-type': 'application/json' },
                body: JSON.stringify({
                  model: MODEL,
                  messages: [{ role: 'user', content: prompt(call.inputTokens) }],
                  max_tokens: call.maxTokens,
                }),
              });
              await res.json();
              record.outcome = 'ok';
            } catch (error) {
              record.outcome = codeOf(error);
            }
          }),
        );
        record.settledAt = now();
        onProgress?.(++settled, calls.length);
      }),
    );
    const result = summarise({
      strategy: 'steady',
      label: 'steady',
      records,
      stats: emu.stats(),
      options,
      windowMs,
    });
    return { result, windowMs };
  } finally {
    await emu.close();
  }
}
