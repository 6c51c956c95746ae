/** The calls of a workload: when each arrives and how many tokens it uses, drawn from the seed. */
import type { Random } from '../../clock.js';
import type { Range, SimulateOptions } from './types.js';

/** One call of the workload. */
export interface WorkCall {
  /** 1-based. */
  id: number;
  /** Arrival, in ms from the start. */
  at: number;
  inputTokens: number;
  /** The request's `max_tokens`: what the client reserves for the answer. */
  maxTokens: number;
  /** What the answer uses (and the server bills). */
  outputTokens: number;
}

/** Log-uniform in [min, max], rounded. */
function logUniform(random: Random, [min, max]: Range): number {
  if (min === max) return min;
  return Math.round(min * (max / min) ** random.next());
}

/** Arrival times: `uniform` every 60,000 / rate ms; `poisson` exponential gaps of that mean; `burst` all at 0. */
function arrivals(options: SimulateOptions, random: Random): number[] {
  const gapMs = 60_000 / options.rate;
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < options.calls; i++) {
    out.push(Math.round(t));
    if (options.arrival === 'uniform') t += gapMs;
    else if (options.arrival === 'poisson') t += -Math.log(1 - random.next()) * gapMs;
  }
  return out;
}

export function workload(options: SimulateOptions, random: Random): WorkCall[] {
  return arrivals(options, random).map((at, i) => {
    const inputTokens = logUniform(random, options.inputTokens);
    const maxTokens = logUniform(random, options.outputTokens);
    const outputTokens = Math.max(1, Math.round(maxTokens * (0.4 + 0.6 * random.next())));
    return { id: i + 1, at, inputTokens, maxTokens, outputTokens };
  });
}
