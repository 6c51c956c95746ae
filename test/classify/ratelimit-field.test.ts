import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { resetWait } from '../../src/classify/reset-hints.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const field = (ratelimit: string) => resetWait({ ratelimit }, NOW);

describe('the IETF RateLimit field, read leniently and never thrown on', () => {
  it('reads a policy whose quoted name holds an "=" as a policy, not as a dictionary member', () => {
    expect(field('"a=b";r=0;t=30')).toBe(30_000);
  });

  it('reads a bare (boolean) parameter and skips it', () => {
    expect(field('"default";r=0;t=30;q')).toBe(30_000);
    expect(() =>
      classify({ status: 429, headers: { ratelimit: '"default";q;r=0;t=30' } }, [], NOW),
    ).not.toThrow();
    expect(classify({ status: 429, headers: { ratelimit: '"default";q;r=0;t=30' } }, [], NOW)).toMatchObject({
      retryAfterMs: 30_000,
    });
  });

  it('skips a parameter or dictionary member with an empty value: an earlier one stands', () => {
    expect(field('"default";r=0;t=30;t=')).toBe(30_000);
    expect(field('limit=10, remaining=0, reset=30, reset=')).toBe(30_000);
    expect(field('limit=10, remaining=0, reset=30, =5')).toBe(30_000);
  });

  it('reads spaces around "=" and after ";" (draft -07 dictionary and -08 list alike)', () => {
    expect(field('"default"; r = 0; t = 30')).toBe(30_000);
    expect(field('limit = 10, remaining = 0, reset = 30')).toBe(30_000);
  });

  it('skips a member with no policy name in front of its parameters', () => {
    expect(field('t=5;r=0')).toBeUndefined();
    expect(field('t=5;r=0, "daily";r=0;t=60')).toBe(60_000);
  });
});
