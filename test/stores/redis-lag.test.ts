import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindTo } from '../../src/stores/redis/binding.js';
import { runScript } from '../../src/stores/redis/connection.js';
import { Pipeline } from '../../src/stores/redis/pipeline.js';
import { RedisStore } from '../../src/stores/redis/store.js';
import { type RedisServer, skipRedis, startRedis } from './redis-server.js';

/*
 * The reply lag (pipeline.ts): Redis stamps an admission when its script runs, the call goes out when
 * the reply is back. Each batch carries the longest of this process's last round trips (`l ms`), and
 * the script stamps its admissions that much later, never before the newest entry.
 */
const skip = skipRedis('test/stores/redis-lag.test.ts');
let server: RedisServer;
let redis: Redis;
let n = 0;

/** The batch script on the caller's clock: limit `limit` per 1000 ms, no margin. */
function ledger(limit: number) {
  const key = `lag-${++n}`;
  const keys = new RedisStore(redis, { key, onError: 'closed', timeoutMs: 5_000 }).keys as string[];
  const b = bindTo(redis, key, 'proc', {
    limits: { calls: { limit, windowMs: 1_000 } },
    algorithm: undefined,
    safetyMarginMs: 0,
    wake: () => {},
  });
  const run = async (now: number, ...ops: string[]) =>
    (await runScript(
      redis,
      'batch',
      keys,
      [b.head[0]!, String(now), ...b.head.slice(2), ...ops],
      5_000,
      false,
    )) as string[];
  const time = async (seq: number) => Number((await redis.hget(keys[1]!, String(seq)))!.split(' ')[0]);
  return { run, time };
}

describe.skipIf(skip)(
  'redisStore: admissions stamped after the reply lag, and moved later when the reply came later',
  () => {
    beforeAll(async () => {
      server = await startRedis();
      redis = server.client();
    });
    afterAll(() => server?.stop());

    it('a reserve after `l 250` is stamped 250 ms late, and frees its room 250 ms late', async () => {
      const l = ledger(1);
      expect((await l.run(1_000, 'l', '250', 'r', 'a', '1', '1'))[0]).toBe('ok');
      expect(await l.time(1)).toBe(1_250);
      expect((await l.run(2_200, 'r', 'b', '1', '1'))[0]).toBe('w 50 1'); // 1250 + 1000 − 2200
      expect((await l.run(2_249, 'r', 'b', '1', '1'))[0]).toBe('w 1 1');
      expect((await l.run(2_250, 'r', 'b', '1', '1'))[0]).toBe('ok');
      expect(await l.time(2)).toBe(2_250);
    });

    it('the lag applies to the reserves after it in the batch only, and a later entry is never stamped before the newest', async () => {
      const l = ledger(4);
      expect(await l.run(1_000, 'r', 'a', '1', '1', 'l', '250', 'r', 'b', '1', '1')).toEqual([
        'ok',
        'ok',
        1, // live processes
      ]);
      expect([await l.time(1), await l.time(2)]).toEqual([1_000, 1_250]);
      await l.run(1_010, 'r', 'c', '1', '1'); // no lag, but after b: not before it
      expect(await l.time(3)).toBe(1_250);
      await l.run(1_020, 'o', '1', '4', '0', '0', ''); // the observed entry too
      expect(await l.time(4)).toBe(1_250);
      // a left at 2000; b, c and the observed 1 are in until 2250: 2 more wait for b
      expect((await l.run(2_249, 'r', 'd', '2', '2'))[0]).toBe('w 1 1');
    });
    it('`c ms k id…` moves an admission later in place, and the wait counts from the latest entry before it', async () => {
      const l = ledger(2);
      await l.run(1_000, 'r', 'a', '1', '1');
      await l.run(1_005, 'r', 'b', '1', '1');
      await l.run(1_010, 'c', '20', '1', 'a', 'r', 'x', '0', '0'); // a: 1000 → 1020, after b
      expect([await l.time(1), await l.time(2)]).toEqual([1_020, 1_005]);
      // b is out of its window by time at 2010, but leaves with a (seq order): 2 held until 2020
      expect((await l.run(2_010, 'r', 'c', '1', '1'))[0]).toBe('w 10 1');
      expect((await l.run(2_012, 's', 'b', '0', 'r', 'c', '1', '1'))[0]).toBe('ok'); // b's settle still counts
      expect((await l.run(2_020, 'r', 'd', '1', '1'))[0]).toBe('ok'); // a left: c alone
      expect((await l.run(2_020, 'r', 'e', '1', '1'))[0]).toMatch(/^w /);
      await l.run(2_030, 'c', '5', '2', 'nope', 'd'); // an unknown id is passed over
      expect(await l.time(5)).toBe(2_025); // d (a: 1, b: 2, x: 3, c: 4)
    });
  },
);

describe('Pipeline: a trip longer than the lag it was sent with', () => {
  it('queues `c` for its admissions, which waits for the next round trip and goes before the rest', async () => {
    const sent: string[][] = [];
    let slow = false;
    const p = new Pipeline(
      async (args) => {
        sent.push(args);
        if (slow) await new Promise((r) => setTimeout(r, 40));
        return args[0] === 'r' ? ['ok', 'w 5 1', '1'] : ['1'];
      },
      () => false,
    );
    await p.push(['s', 'warm'], 0);
    slow = true;
    const [a, b] = await Promise.all([p.push(['r', 'a'], 1, 'a'), p.push(['r', 'b'], 1, 'b')]);
    expect([a, b]).toEqual(['ok', 'w 5 1']);
    slow = false;
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.length).toBe(2); // no round trip of its own
    await p.push(['s', 'a'], 2);
    expect(sent[2]!.slice(0, 3)).toEqual(['c', expect.stringMatching(/^\d+\.\d$/), '1']);
    expect(Number(sent[2]![1])).toBeGreaterThan(30);
    expect(sent[2]!.slice(3)).toEqual(['a', 's', 'a']); // the admitted one only, before its settle
  });

  it('none on the caller clock (timed off): no lag, no corrections', async () => {
    const lags: number[] = [];
    const sent: string[][] = [];
    const p = new Pipeline(
      async (args, _now, _late, lagMs) => {
        lags.push(lagMs);
        sent.push(args);
        await new Promise((r) => setTimeout(r, 10));
        return ['ok', '1'];
      },
      () => false,
      false,
    );
    await p.push(['r', 'a'], 0, 'a');
    await p.push(['r', 'b'], 0, 'b');
    expect(lags).toEqual([0, 0]);
    expect(sent).toEqual([
      ['r', 'a'],
      ['r', 'b'],
    ]);
  });
});

describe('Pipeline: the lag it sends is the longest of the last 8 round trips', () => {
  it('0 at first, then the slow trip, until 8 faster ones have pushed it out', async () => {
    const lags: number[] = [];
    let slow = true;
    const p = new Pipeline(
      async (_args, _now, _late, lagMs) => {
        lags.push(lagMs);
        if (slow) await new Promise((r) => setTimeout(r, 40));
        slow = false;
        return ['ok', '1'];
      },
      () => false,
    );
    for (let i = 0; i < 10; i++) await p.push(['r', `id${i}`], i, `id${i}`);
    expect(lags[0]).toBe(0);
    for (const x of lags.slice(1, 9)) expect(x).toBeGreaterThanOrEqual(35);
    expect(lags[9]).toBeLessThan(35);
  });
});

describe('Pipeline: corrections only for a trip longer than its lag, for what it admitted', () => {
  it('a trip shorter than its lag sends none; a longer one the difference, for its admitted reserves only', async () => {
    const sent: string[][] = [];
    let delay = 40;
    const p = new Pipeline(
      async (args) => {
        sent.push(args);
        await new Promise((r) => setTimeout(r, delay));
        // (not as the script answers, to tell the ops apart: c is refused, whatever its place)
        const answers = args.flatMap((a, i) => (a === 'r' ? [args[i + 1] === 'c' ? 'w 5 1' : 'ok'] : []));
        return [...answers, '1'];
      },
      () => false,
    );
    await p.push(['s', 'warm'], 0); // 40 ms, nothing admitted: no correction
    delay = 0;
    expect(await p.push(['r', 'a'], 1, 'a')).toBe('ok'); // admitted, lag 40, faster: no correction
    delay = 100;
    await Promise.all([p.push(['s', 'z'], 2), p.push(['r', 'c'], 2, 'c'), p.push(['r', 'b'], 2, 'b')]);
    delay = 0;
    await p.push(['s', 'b'], 3);
    expect(sent.map((a) => a[0])).toEqual(['s', 'r', 's', 'c']);
    const [, ms, k, ...rest] = sent[3]!;
    expect(Number(ms)).toBeGreaterThan(50); // ~100 − 40
    expect(Number(ms)).toBeLessThan(100);
    expect([k, ...rest]).toEqual(['1', 'b', 's', 'b']); // b admitted, c refused
  });

  it('one round trip out at a time, at the latest time asked', async () => {
    const sent: [string[], number][] = [];
    let release!: () => void;
    const p = new Pipeline(
      async (args, now) => {
        sent.push([args, now]);
        if (sent.length === 1) await new Promise<void>((r) => (release = r));
        return ['1'];
      },
      () => false,
      false,
    );
    const first = p.push(['s', 'a'], 5);
    await new Promise((r) => setImmediate(r));
    const later = [p.push(['s', 'b'], 9), p.push(['s', 'c'], 7)];
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.length).toBe(1); // the second waits for the first
    release();
    await Promise.all([first, ...later]);
    expect(sent).toEqual([
      [['s', 'a'], 5],
      [['s', 'b', 's', 'c'], 9],
    ]);
  });

  it('a reply that came after the timeout: its admissions released unless adopted, nothing else', async () => {
    const sent: string[][] = [];
    let late: ((reply: string[]) => void) | undefined;
    const p = new Pipeline(
      async (args, _now, l) => {
        sent.push(args);
        if (sent.length > 1) return ['1'];
        late = l;
        throw new Error('timeout');
      },
      (rid) => rid === 'kept',
      false,
    );
    const ops = [
      p.push(['s', 'x'], 0),
      p.push(['r', 'refused'], 0, 'refused'),
      p.push(['r', 'gone'], 0, 'gone'),
      p.push(['o', '1', '3', '0', '0', ''], 0, undefined, true),
      p.push(['r', 'kept'], 0, 'kept'),
    ];
    for (const op of ops) await expect(op).rejects.toThrow('timeout');
    late!(['w 5 1', 'ok', 'ok', 'ok', '1']); // (an observe answers a number; 'ok' here tells it apart)
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.slice(1)).toEqual([['x', 'gone']]);
  });
});
