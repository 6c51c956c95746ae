import { defaultSafetyMarginMs } from '../../limit/options.js';
import type { StoreBinding } from '../../limit/store.js';
import type { RedisClient } from './connection.js';
import { LocalLedger } from './local.js';
import { WakeChannel } from './wake-channel.js';

/** What a bound store keeps: the limits as the scripts take them, its wake channel and its outage ledger. */
export interface Bound {
  dims: string[];
  /** Script arguments 1–5 and the caps and spans, the same on every call. */
  head: string[];
  wake: WakeChannel;
  local: LocalLedger;
}

/**
 * The policy's limits as the store's scripts take them: dimensions sorted by name, each with its
 * cap and span (window + margin), and a fingerprint of them all that every process on `key` must
 * share (a process with other limits gets `LimitsMismatchError`).
 */
export function bindTo(redis: RedisClient, key: string, proc: string, binding: StoreBinding): Bound {
  const { limits, safetyMarginMs } = binding;
  const dims = Object.keys(limits).sort();
  const spans = dims.map(
    (d) => limits[d]!.windowMs + (safetyMarginMs ?? defaultSafetyMarginMs(limits[d]!.windowMs)),
  );
  const fingerprint = dims
    .map(
      (d, i) =>
        `${d} ${limits[d]!.limit} per ${limits[d]!.windowMs} ms + ${spans[i]! - limits[d]!.windowMs} ms`,
    )
    .join(', ');
  const channel = `steady:{${key}}:free`;
  const wake = new WakeChannel(redis, channel, binding.wake);
  const head = [fingerprint, '', String(dims.length), proc, channel];
  head.push(...dims.map((d) => String(limits[d]!.limit)), ...spans.map(String));
  const local = new LocalLedger(dims, limits, safetyMarginMs, Math.max(...spans));
  return { dims, head, wake, local };
}
