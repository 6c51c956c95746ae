import type { Job } from 'bullmq';

/** The key of `job.data` under which the call's history travels with the job. Reserved. */
export const HISTORY_KEY = '__steady';

/** What a deferred job carries to its next run: attempts made so far and the first start. */
export interface JobHistory {
  /** Attempts made so far (0: deferred before the first one). */
  attempt: number;
  /** The policy clock's time when the job was first picked up. */
  startedAt: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The history a job carries, or undefined on its first run (or when it was tampered with). */
export function readHistory(job: Job): JobHistory | undefined {
  const data: unknown = job.data;
  if (!isRecord(data)) return undefined;
  const h = data[HISTORY_KEY];
  if (!isRecord(h)) return undefined;
  const { attempt, startedAt } = h;
  if (!Number.isInteger(attempt) || (attempt as number) < 0) return undefined;
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt)) return undefined;
  return { attempt: attempt as number, startedAt };
}

/** Saves the history beside the user's data (never replacing it). Data must be an object (or empty). */
export async function writeHistory(job: Job, history: JobHistory): Promise<void> {
  const data: unknown = job.data ?? {};
  if (!isRecord(data)) {
    throw new TypeError(
      `steady: bullmqProcessor keeps the call's history in job.data.${HISTORY_KEY}: ` +
        `job ${String(job.id)}'s data must be an object, got ${Array.isArray(data) ? 'an array' : typeof data}`,
    );
  }
  await job.updateData({ ...data, [HISTORY_KEY]: history });
}

/** The user's data as they added it: the reserved key left out. */
export function userData<D>(data: D): D {
  if (!isRecord(data) || !(HISTORY_KEY in data)) return data;
  const { [HISTORY_KEY]: _history, ...rest } = data;
  return rest as D;
}
