/** Where a request's fault comes from: the scripted queue first, then a seeded random draw. */
import type { Prng } from './prng.js';
import type { FaultStatus, ScriptedFault } from './types.js';

const STATUSES: readonly FaultStatus[] = [400, 401, 402, 404, 429, 499, 500, 502, 503, 504, 529];

const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Throws a TypeError naming `name` unless `fault` is a valid `ScriptedFault`. */
export function checkFault(fault: unknown, name: string): asserts fault is ScriptedFault {
  if (fault === 'reset') return;
  const f = fault as Record<string, unknown> | null;
  const ok =
    !!f &&
    typeof f === 'object' &&
    (('status' in f && STATUSES.includes(f.status as FaultStatus)) ||
      ('delayMs' in f && typeof f.delayMs === 'number' && f.delayMs >= 0) ||
      ('streamFailAfter' in f &&
        count(f.streamFailAfter) &&
        [undefined, 'event', 'destroy'].includes(f.mode as string) &&
        (f.errorType === undefined || typeof f.errorType === 'string')) ||
      ('streamEndEarly' in f && count(f.streamEndEarly)));
  if (!ok) {
    throw new TypeError(
      `steady: ${name} must be 'reset', { status: ${STATUSES.join('|')} }, { delayMs }, { streamFailAfter, mode?, errorType? } or { streamEndEarly }`,
    );
  }
}

/** The name a fault is counted under in `stats().byFault`. */
export function faultKind(fault: ScriptedFault): string {
  if (fault === 'reset') return 'reset';
  if ('status' in fault) return String(fault.status);
  if ('delayMs' in fault) return 'delay';
  if ('streamFailAfter' in fault) return 'streamFailAfter';
  return 'streamEndEarly';
}

export class FaultSource {
  private queue: ScriptedFault[] = [];

  constructor(
    private readonly rate: number,
    private readonly kinds: readonly ScriptedFault[],
    private random: Prng,
  ) {}

  inject(faults: ScriptedFault[]): void {
    faults.forEach((f, i) => {
      checkFault(f, `inject[${i}]`);
    });
    this.queue.push(...faults);
  }

  /** The fault for the next request, if any. Random draws are made only while the queue is empty. */
  next(): ScriptedFault | undefined {
    const scripted = this.queue.shift();
    if (scripted !== undefined) return scripted;
    if (this.rate === 0 || this.random.next() >= this.rate) return undefined;
    return this.kinds[Math.floor(this.random.next() * this.kinds.length)];
  }

  reset(random: Prng): void {
    this.queue = [];
    this.random = random;
  }
}
