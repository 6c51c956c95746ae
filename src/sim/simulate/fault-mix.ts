/** A fault mix by kind (`429=5%,reset=5%`) as the emulator's `faults` option: one rate, kinds drawn uniformly. */
import type { FaultOptions, ScriptedFault } from '../emulator/types.js';
import type { FaultShare } from './types.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The emulator draws a fault with probability `rate`, then a kind uniformly: a kind with twice the
 * share is listed twice. Shares count in steps of 0.1 %.
 */
export function faultOptions(mix: readonly FaultShare[]): FaultOptions | undefined {
  const units = mix.map((f) => Math.round(f.share * 1000)).filter((u) => u > 0);
  if (units.length === 0) return undefined;
  const step = units.reduce(gcd);
  const kinds: ScriptedFault[] = [];
  for (const f of mix) {
    const n = Math.round(f.share * 1000) / step;
    for (let i = 0; i < n; i++) kinds.push(f.kind === 'reset' ? 'reset' : { status: f.kind });
  }
  return { rate: units.reduce((a, b) => a + b, 0) / 1000, kinds };
}
