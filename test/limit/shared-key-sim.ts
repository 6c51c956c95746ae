import { sleep } from '../../src/clock.js';
import { createPolicy, openai } from '../../src/index.js';
import { testClock } from '../../src/testing.js';
import { prng } from './drive.js';

/**
 * One API key shared by a steady policy and a second client steady does not know about, on a
 * server that counts calls in a rolling minute, refuses what is over its limit with a 429, and
 * reports its state on every answer the way OpenAI does (`x-ratelimit-limit-requests`,
 * `-remaining-requests`, `-reset-requests`). Virtual time (the injected test clock).
 *
 * The other client sends at random times (a Poisson stream of `otherPerMin`), never retries. The
 * steady policy (`openai()`, given no limits: it learns them from the headers unless
 * `fromHeaders` is false, in which case it is given the server's limit and paces blind) keeps
 * `callers` calls going for `minutes`.
 */
export interface SharedKeyOptions {
  limit: number;
  otherPerMin: number;
  minutes: number;
  callers: number;
  fromHeaders: boolean;
  seed: number;
}

export interface SharedKeyResult {
  /** Calls steady sent that the server served, and that it refused with a 429. */
  steadyServed: number;
  steady429: number;
  otherServed: number;
  other429: number;
  /** What the other client left of the server's capacity over the run: limit × minutes − otherServed. */
  left: number;
  /** steadyServed ÷ left. */
  share: number;
  limitsEvents: number;
}

const W = 60_000;

export async function sharedKey(o: SharedKeyOptions): Promise<SharedKeyResult> {
  const clock = testClock(1_700_000_000_000);
  const rnd = prng(o.seed);
  const arrivals: number[] = [];
  const stats = { steadyServed: 0, steady429: 0, otherServed: 0, other429: 0 };
  const server = (who: 'steady' | 'other') => {
    const now = clock.now();
    while (arrivals.length > 0 && arrivals[0]! <= now - W) arrivals.shift();
    const ok = arrivals.length < o.limit;
    if (ok) arrivals.push(now);
    stats[`${who}${ok ? 'Served' : '429'}`]++;
    const resetMs = arrivals.length > 0 ? arrivals[0]! + W - now : 0;
    const headers = {
      'x-ratelimit-limit-requests': String(o.limit),
      'x-ratelimit-remaining-requests': String(o.limit - arrivals.length),
      'x-ratelimit-reset-requests': `${Math.ceil(resetMs)}ms`,
    };
    return { ok, headers };
  };

  let limitsEvents = 0;
  const policy = createPolicy({
    ...openai(o.fromHeaders ? {} : { limits: { calls: { limit: o.limit, windowMs: W } } }),
    limiter: { fromHeaders: o.fromHeaders },
    retry: { maxAttempts: 3 },
    breaker: false,
    budget: false,
    clock,
    random: { next: rnd },
    on: { limits: () => limitsEvents++ },
  });

  const end = clock.now() + o.minutes * W;
  let stop = false;
  const steadyCaller = async () => {
    while (!stop) {
      await policy
        .run(async () => {
          await sleep(clock, 5 + rnd() * 20); // send → arrival
          const answer = server('steady');
          await sleep(clock, 200 + rnd() * 800); // the answer takes a while
          if (!answer.ok)
            throw { status: 429, headers: answer.headers, body: { error: { type: 'requests' } } };
          return { status: 200, headers: answer.headers, usage: { total_tokens: 0 } };
        })
        .catch(() => {});
    }
  };
  const other = async () => {
    while (!stop) {
      await sleep(clock, (-Math.log(1 - rnd()) * W) / o.otherPerMin);
      if (!stop) server('other');
    }
  };
  const done = Promise.all([other(), ...Array.from({ length: o.callers }, steadyCaller)]);
  await clock.tickAsync(end - clock.now());
  stop = true;
  await clock.runAllAsync(1_000_000);
  await done;
  const left = o.limit * o.minutes - stats.otherServed;
  return { ...stats, left, share: stats.steadyServed / left, limitsEvents };
}
