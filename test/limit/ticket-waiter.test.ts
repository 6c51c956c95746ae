/** A reservation settles once (commit, refund or cancel); a queued acquire settles once (admit or fail). */
import { describe, expect, it } from 'vitest';
import type { LimiterReservation } from '../../src/limit/options.js';
import { NONE, Ticket, type TicketOwner } from '../../src/limit/ticket.js';
import { Waiter } from '../../src/limit/waiter.js';

function recordingOwner() {
  const log: [string, Partial<Record<string, number>> | undefined][] = [];
  const owner: TicketOwner = {
    commit: (_t, actual) => log.push(['commit', actual]),
    settle: (_t, actual) => log.push(['settle', actual]),
    release: () => log.push(['release', undefined]),
  };
  return { owner, log };
}

const cost = { calls: 1, tokens: 500, 'chat:calls': 1, 'calls/month': 1, 'chat:tokens': 500, inputs: 3 };

describe('Ticket', () => {
  it('commit passes the reported usage on, once; later settles do nothing', () => {
    const { owner, log } = recordingOwner();
    const t = new Ticket(owner, 'a:1', cost, undefined);
    t.commit({ tokens: 321 });
    t.commit({ tokens: 1 });
    t.refund();
    t.cancel();
    expect(log).toEqual([['commit', { tokens: 321 }]]);
  });

  it('commit without usage passes the frozen empty usage (the estimate stands)', () => {
    const { owner, log } = recordingOwner();
    new Ticket(owner, 'a:1', cost, undefined).commit();
    expect(log).toHaveLength(1);
    expect(log[0]![1]).toBe(NONE);
    expect(Object.isFrozen(NONE)).toBe(true);
    expect(NONE).toEqual({});
  });

  it('refund gives back every dimension but whole calls (calls, chat:calls, calls/month stay counted)', () => {
    const { owner, log } = recordingOwner();
    const t = new Ticket(owner, 'a:1', cost, undefined);
    t.refund();
    t.commit({ tokens: 5 });
    t.cancel();
    expect(log).toEqual([['settle', { tokens: 0, 'chat:tokens': 0, inputs: 0 }]]);
  });

  it('cancel gives back everything, once', () => {
    const { owner, log } = recordingOwner();
    const t = new Ticket(owner, undefined, cost, undefined);
    t.cancel();
    t.cancel();
    t.commit();
    t.refund();
    expect(log).toEqual([['release', undefined]]);
  });

  it('carries its id, cost and throttle report; no hold or admission time unless said', () => {
    const { owner } = recordingOwner();
    const info = { dimension: 'tokens', waitedMs: 10 };
    const t = new Ticket(owner, 'x', cost, info);
    expect([t.id, t.cost, t.throttle, t.hold, t.at]).toEqual(['x', cost, info, undefined, Number.NaN]);
  });
});

describe('Waiter', () => {
  const make = (abort: (w: Waiter) => void = () => {}) => {
    const got: (LimiterReservation | string)[] = [];
    let resolve!: (r: LimiterReservation) => void;
    const p = new Promise<LimiterReservation>((r) => {
      resolve = r;
    }).then(
      (r) => got.push(r),
      (e: Error) => got.push(`rejected: ${e.message}`),
    );
    const w = new Waiter(
      { abortWaiter: (x) => abort(x as Waiter) },
      { calls: 1 },
      0,
      undefined,
      undefined,
      undefined,
      resolve,
    );
    return { w, got, p };
  };

  it('admit resolves once; a later fail does nothing', async () => {
    const { w, got, p } = make();
    expect(w.waiting).toBe(true);
    const r = { id: 'r' } as unknown as LimiterReservation;
    w.admit(r);
    expect(w.waiting).toBe(false);
    w.fail(new Error('late'));
    w.admit({ id: 'other' } as unknown as LimiterReservation);
    await p;
    expect(got).toEqual([r]);
  });

  it('fail rejects once; a later admit does nothing', async () => {
    const { w, got, p } = make();
    w.fail(new Error('full'));
    expect(w.waiting).toBe(false);
    w.admit({ id: 'r' } as unknown as LimiterReservation);
    w.fail(new Error('again'));
    await p;
    expect(got).toEqual(['rejected: full']);
  });

  it('as an abort listener it hands itself to its owner', () => {
    const seen: Waiter[] = [];
    const { w } = make((x) => seen.push(x));
    w.handleEvent();
    expect(seen).toEqual([w]);
  });
});
