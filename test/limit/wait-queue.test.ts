/**
 * The waiting calls' order: lowest priority number first, FIFO within one; aborted calls leave
 * without disturbing the others, also after the queue compacts its tombstones.
 */
import { describe, expect, it } from 'vitest';
import { WaitQueue } from '../../src/limit/wait-queue.js';

class Item {
  waiting = true;
  constructor(readonly name: string) {}
}

/** Admits everything left, in order, as the limiter does (mark dead, then delete). */
function drain(q: WaitQueue<Item>, prio: Map<Item, number>): string[] {
  const out: string[] = [];
  for (let w = q.peek(); w; w = q.peek()) {
    out.push(w.name);
    w.waiting = false;
    q.delete(w, prio.get(w)!);
  }
  return out;
}

function queue() {
  const q = new WaitQueue<Item>();
  const prio = new Map<Item, number>();
  const push = (name: string, p = 0) => {
    const it = new Item(name);
    prio.set(it, p);
    return { it, head: q.push(it, p) };
  };
  const remove = (it: Item) => {
    it.waiting = false;
    q.delete(it, prio.get(it)!);
  };
  return { q, prio, push, remove };
}

describe('WaitQueue', () => {
  it('orders by priority number, FIFO within one, and says who became the head', () => {
    const { q, prio, push } = queue();
    expect(q.peek()).toBeUndefined();
    expect(q.first(3)).toEqual([]);
    expect(push('a', 5).head).toBe(true);
    expect(push('b', 5).head).toBe(false);
    expect(push('c', 9).head).toBe(false);
    expect(push('d', 1).head).toBe(true); // a lower number goes first
    expect(push('e', 1).head).toBe(false);
    expect(push('f', 5).head).toBe(false);
    expect(q.size).toBe(6);
    expect(q.first(4).map((x) => x.name)).toEqual(['d', 'e', 'a', 'b']);
    expect(q.first(100).map((x) => x.name)).toEqual(['d', 'e', 'a', 'b', 'f', 'c']);
    expect(drain(q, prio)).toEqual(['d', 'e', 'a', 'b', 'f', 'c']);
    expect(q.size).toBe(0);
  });

  it('a call that is alone in a new, later priority is not the head', () => {
    const { push } = queue();
    push('a', 0);
    expect(push('b', 3).head).toBe(false);
  });

  it('the first call in an emptied priority is the head again', () => {
    const { push, remove } = queue();
    const a = push('a', 0).it;
    remove(a);
    expect(push('b', 0).head).toBe(true);
  });

  it('a call removed from the middle is skipped, and first() skips it too', () => {
    const { q, prio, push, remove } = queue();
    push('a');
    const b = push('b').it;
    push('c');
    remove(b);
    expect(q.size).toBe(2);
    expect(q.first(2).map((x) => x.name)).toEqual(['a', 'c']);
    expect(drain(q, prio)).toEqual(['a', 'c']);
  });

  it('a head marked dead (not yet deleted) is skipped by peek and first', () => {
    const { q, push } = queue();
    const a = push('a').it;
    push('b');
    a.waiting = false;
    expect(q.peek()?.name).toBe('b');
    expect(q.first(1).map((x) => x.name)).toEqual(['b']);
  });

  it('deleting from a priority nobody waits at changes nothing', () => {
    const { q, push } = queue();
    push('a', 0);
    const stray = new Item('x');
    stray.waiting = false;
    q.delete(stray, 7);
    expect(q.size).toBe(1);
    expect(q.peek()?.name).toBe('a');
  });

  it('keeps the order through many aborts in the middle (tombstones compacted)', () => {
    const { q, prio, push, remove } = queue();
    const items = Array.from({ length: 300 }, (_, i) => push(`w${i}`).it);
    // Abort every one but each 10th, head first left alone: tombstones outnumber the live ones.
    for (let i = 1; i < 300; i++) if (i % 10 !== 0) remove(items[i]!);
    expect(q.size).toBe(30);
    expect(q.first(3).map((x) => x.name)).toEqual(['w0', 'w10', 'w20']);
    const late = push('late').it;
    expect(prio.get(late)).toBe(0);
    expect(drain(q, prio)).toEqual([...Array.from({ length: 30 }, (_, i) => `w${i * 10}`), 'late']);
  });

  it('keeps the order through a long run of admissions (the consumed front dropped)', () => {
    const { q, prio, push } = queue();
    for (let i = 0; i < 3_000; i++) push(`w${i}`);
    const got = drain(q, prio);
    expect(got).toHaveLength(3_000);
    expect(got.slice(0, 2)).toEqual(['w0', 'w1']);
    expect(got.slice(-2)).toEqual(['w2998', 'w2999']);
    // Interleaved: admit one, add one, with the front well past 1024.
    for (let i = 0; i < 2_000; i++) push(`x${i}`);
    const seen: string[] = [];
    for (let i = 0; i < 1_500; i++) {
      const w = q.peek()!;
      seen.push(w.name);
      w.waiting = false;
      q.delete(w, 0);
      push(`y${i}`);
    }
    expect(seen[1_499]).toBe('x1499');
    expect(q.size).toBe(2_000);
    expect(q.first(2).map((x) => x.name)).toEqual(['x1500', 'x1501']);
    const rest = drain(q, prio);
    expect(rest.slice(0, 500)).toEqual(Array.from({ length: 500 }, (_, i) => `x${1_500 + i}`));
    expect(rest.slice(500)).toEqual(Array.from({ length: 1_500 }, (_, i) => `y${i}`));
  });
});
