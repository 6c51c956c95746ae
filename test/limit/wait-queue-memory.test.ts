/**
 * The queue's memory (limit/wait-queue.ts): tombstones are compacted once there are more than 64
 * slots and more than twice as many as live items; the consumed front is dropped once it is past
 * 1,024 slots and more than half the array. Worked by hand at both sides of each threshold.
 */
import { describe, expect, it } from 'vitest';
import { WaitQueue } from '../../src/limit/wait-queue.js';

class Item {
  waiting = true;
}

function filled(n: number) {
  const q = new WaitQueue<Item>();
  const items = Array.from({ length: n }, () => new Item());
  for (const it of items) q.push(it, 0);
  /** Aborts `k` more from the back (marks dead, then deletes, as the limiter does). */
  let back = n - 1;
  const abortFromBack = (k: number) => {
    for (let i = 0; i < k; i++) {
      const it = items[back--]!;
      it.waiting = false;
      q.delete(it, 0);
    }
  };
  /** Admits `k` more from the front. */
  const admit = (k: number) => {
    for (let i = 0; i < k; i++) {
      const it = q.peek()!;
      it.waiting = false;
      q.delete(it, 0);
    }
  };
  return { q, abortFromBack, admit };
}

describe('WaitQueue memory: tombstones', () => {
  it('100 queued: 50 aborted keep 100 slots (100 is not more than 2 × 50); the 51st compacts to 49', () => {
    const { q, abortFromBack } = filled(100);
    abortFromBack(50);
    expect(q.slots).toBe(100);
    abortFromBack(1);
    expect(q.slots).toBe(49);
    expect(q.size).toBe(49);
  });

  it('65 queued compact at the 33rd abort (65 > 2 × 32); 64 queued never do (64 is not more than 64)', () => {
    const big = filled(65);
    big.abortFromBack(32);
    expect(big.q.slots).toBe(65);
    big.abortFromBack(1);
    expect(big.q.slots).toBe(32);
    const small = filled(64);
    small.abortFromBack(40);
    expect(small.q.slots).toBe(64);
  });

  it('counts only the slots past the head: 100 queued, 10 admitted, compacted at the 46th abort (90 > 2 × 44)', () => {
    const { q, admit, abortFromBack } = filled(100);
    admit(10);
    abortFromBack(45);
    expect(q.slots).toBe(100);
    abortFromBack(1);
    expect(q.slots).toBe(44);
    expect(q.size).toBe(44);
  });
});

describe('WaitQueue memory: the consumed front', () => {
  it('2,000 queued: 1,024 admitted keep 2,000 slots; the 1,025th drops the front (975 left)', () => {
    const { q, admit } = filled(2_000);
    admit(1_024);
    expect(q.slots).toBe(2_000);
    admit(1);
    expect(q.slots).toBe(975);
  });

  it('3,000 queued: dropped only once the front is more than half (1,501 admitted, not 1,500)', () => {
    const { q, admit } = filled(3_000);
    admit(1_500);
    expect(q.slots).toBe(3_000);
    admit(1);
    expect(q.slots).toBe(1_499);
    expect(q.size).toBe(1_499);
  });
});
