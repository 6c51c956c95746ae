import { describe, expect, it } from 'vitest';
import { constant, createPolicy } from '../../src/index.js';
import { type Around, addAround, internalsOf } from '../../src/policy/around.js';
import { testClock } from '../../src/testing.js';

/* What instrumentation puts around a policy's calls and attempts (policy/around.ts). */

function recorder(name: string, seen: string[]): Around {
  return {
    call: async (_options, run) => {
      seen.push(`${name} call`);
      const v = await run();
      seen.push(`${name} call done`);
      return v;
    },
    attempt: async (n, run) => {
      seen.push(`${name} attempt ${n}`);
      return run();
    },
  };
}

describe('addAround', () => {
  it('two arounds nest, the later inside the earlier, around the call and each attempt; the result passes through', async () => {
    const clock = testClock();
    const policy = createPolicy({ clock, retry: { backoff: constant(10) } });
    const seen: string[] = [];
    const p = internalsOf(policy)!;
    addAround(p, recorder('a', seen));
    addAround(p, recorder('b', seen));
    const done = policy.run(({ attempt }) =>
      attempt === 1 ? Promise.reject({ status: 503, headers: {} }) : 'ok',
    );
    await clock.runAllAsync();
    expect(await done).toBe('ok');
    expect(seen).toEqual([
      'a call',
      'b call',
      'a attempt 1',
      'b attempt 1',
      'a attempt 2',
      'b attempt 2',
      'b call done',
      'a call done',
    ]);
  });

  it('its remover takes away only its own around, and a second call of it does nothing', async () => {
    const policy = createPolicy({});
    const seen: string[] = [];
    const p = internalsOf(policy)!;
    addAround(p, recorder('a', seen));
    const removeB = addAround(p, recorder('b', seen));
    addAround(p, recorder('c', seen));
    removeB();
    removeB();
    await policy.run(() => 'ok');
    expect(seen).toEqual(['a call', 'c call', 'a attempt 1', 'c attempt 1', 'c call done', 'a call done']);
  });

  it('internalsOf knows only policies made by createPolicy', () => {
    expect(internalsOf(createPolicy({}))).toBeDefined();
    for (const x of [undefined, null, 5, 'policy', {}]) expect(internalsOf(x)).toBeUndefined();
  });
});
