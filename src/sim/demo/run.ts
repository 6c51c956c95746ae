/**
 * The demo behind `npm start`: many chat calls at once on one trial key, through `steadyFetch`,
 * against the embedded emulator with random faults, in scaled time.
 */

import { steadyFetch } from '../../adapters/fetch/index.js';
import { type Clock, systemClock } from '../../clock.js';
import { isSteadyError } from '../../errors/index.js';
import type { Limits } from '../../limit/types.js';
import { createPolicy } from '../../policy/policy.js';
import { cohere } from '../../presets/cohere/index.js';
import { seededRandom } from '../../testing.js';
import { invalid } from '../../validate.js';
import { startEmulator } from '../emulator/index.js';
import type { ScriptedFault } from '../emulator/types.js';
import { callLine, headerLines, summaryLines } from './format.js';
import { summarise } from './summarise.js';
import { CallTracker } from './tracker.js';
import type { DemoOptions, DemoSummary } from './types.js';
import { chatBodies } from './workload.js';

/** Failures from Cohere's catalogue, drawn uniformly when a request draws a fault. */
export const DEMO_FAULTS: readonly ScriptedFault[] = [
  { status: 503 },
  { status: 500 },
  { status: 499 },
  'reset',
  { status: 429 }, // "Please wait and try again later": another client on the same key
];

/** The same limits, each window `timeScale` times shorter. */
export function scaleLimits(limits: Limits, timeScale: number): Limits {
  return Object.fromEntries(
    Object.entries(limits).map(([dim, spec]) => [dim, { ...spec, windowMs: spec.windowMs / timeScale }]),
  );
}

/** Tokens the emulator billed, as its answer reports them. */
function billed(body: unknown): number | undefined {
  const units = (body as { usage?: { billed_units?: { input_tokens?: number; output_tokens?: number } } })
    ?.usage?.billed_units;
  return units ? (units.input_tokens ?? 0) + (units.output_tokens ?? 0) : undefined;
}

/**
 * Runs the demo and returns what it saw. Every call settles (ok, or rejected with a steady error);
 * the emulator is closed before it returns, so nothing is left running.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const { calls = 100, timeScale = 12, seed = 7, faultRate = 0.15, out = console.log } = options;
  if (!Number.isInteger(calls) || calls < 1) throw invalid('calls', 'an integer >= 1', calls, true);
  const clock: Clock = systemClock;
  const emu = await startEmulator({
    timeScale,
    seed,
    faults: { rate: faultRate, kinds: [...DEMO_FAULTS] },
    latencyMs: { min: 300, max: 1_500 },
  });
  try {
    const trial = cohere({ plan: 'trial' });
    const policy = createPolicy({
      ...trial,
      limits: scaleLimits(trial.limits!, timeScale),
      retry: { maxAttempts: 6 },
      // Spent calls come back one window after they were sent, plus this margin for the time a
      // request takes to reach the server. Latency does not shrink with the time scale, so the
      // margin is the one a real (60 s) minute gets by default, not 1 % of the scaled window.
      limiter: { safetyMarginMs: 500 },
      random: seededRandom(seed),
    });
    const tracker = new CallTracker(policy);
    const fetch = steadyFetch(policy);
    const bodies = chatBodies(calls, seededRandom(seed + 1));
    const width = String(calls).length;
    for (const line of headerLines(calls, timeScale, emu.windowMs, faultRate)) out(line);

    const started = clock.now();
    let untyped = 0;
    await Promise.all(
      bodies.map(async (body, i) => {
        const { facts, result } = tracker.run(i + 1, async () => {
          const res = await fetch(`${emu.url}/v2/chat`, {
            method: 'POST',
            headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return billed(await res.json());
        });
        try {
          out(callLine(facts, width, await result));
        } catch (error) {
          if (!isSteadyError(error)) untyped++;
          out(callLine(facts, width));
        }
      }),
    );
    if (untyped > 0)
      throw new Error(`steady demo: ${untyped} calls failed with an error that is not a steady error`);
    const summary = summarise(tracker, emu.stats(), {
      windowMs: emu.windowMs,
      limits: { calls: trial.limits!.calls!.limit, tokens: trial.limits!.tokens!.limit },
      wallMs: clock.now() - started,
    });
    for (const line of summaryLines(summary)) out(line);
    return summary;
  } finally {
    await emu.close();
  }
}
