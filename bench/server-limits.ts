/**
 * One key shared by a steady policy (openai(), 8 callers) and a client steady does not know (a
 * Poisson stream, no retries), on a server that counts calls in a rolling minute and reports them
 * in OpenAI's x-ratelimit-* headers; virtual time (test/limit/shared-key-sim.ts). Per run: steady's
 * 429s per 1,000 of its calls and its share of what the other client left (limit × minutes − the
 * other's served calls), with limiter.fromHeaders true (limits learned, the ledger corrected) and
 * false (the limit configured, the headers not read).
 */
import { sharedKey } from '../test/limit/shared-key-sim.js';

const BASE = { limit: 120, minutes: 30, callers: 8 };
console.log('server-limits: limit 120/min, 30 min, steady 8 callers vs an unknown client');
console.log(
  'other/min  seed  fromHeaders  steady calls  429s  per 1,000  share of what is left  other served / 429',
);
for (const otherPerMin of [20, 40, 80]) {
  for (const seed of [1, 2, 3]) {
    for (const fromHeaders of [true, false]) {
      const r = await sharedKey({ ...BASE, otherPerMin, seed, fromHeaders });
      const calls = r.steadyServed + r.steady429;
      console.log(
        [
          String(otherPerMin).padStart(9),
          String(seed).padStart(5),
          String(fromHeaders).padStart(12),
          String(calls).padStart(13),
          String(r.steady429).padStart(5),
          ((r.steady429 / calls) * 1_000).toFixed(1).padStart(10),
          `${(r.share * 100).toFixed(1)} %`.padStart(22),
          `${r.otherServed} / ${r.other429}`.padStart(19),
        ].join(' '),
      );
    }
  }
}
