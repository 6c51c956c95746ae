import { describe, expect, it } from 'vitest';
import { classify, toOutcome } from '../../src/index.js';

const NOW = Date.UTC(2025, 0, 1);

/** The server's wait a verdict carries (undefined when none, or not a retry). */
const waitOf = (v: ReturnType<typeof classify>) => (v.action === 'retry' ? v.retryAfterMs : undefined);

/**
 * A headers object that claims `size` own keys (`x-h0`…) plus `extra`, without building them, and
 * counts what is read of it: listing its keys, and each name read (descriptor, get, has).
 */
function countedHeaders(size: number, extra: Record<string, string>) {
  const reads = { listed: 0, names: 0 };
  const headerOf = (k: string | symbol): string | undefined => {
    if (typeof k !== 'string') return undefined;
    if (Object.hasOwn(extra, k)) return extra[k];
    const m = /^x-h(\d+)$/.exec(k);
    return m && Number(m[1]) < size ? 'v' : undefined;
  };
  const proxy = new Proxy({} as Record<string, string>, {
    ownKeys() {
      reads.listed++;
      return [...Array.from({ length: size }, (_, i) => `x-h${i}`), ...Object.keys(extra)];
    },
    getOwnPropertyDescriptor(_t, k) {
      reads.names++;
      const value = headerOf(k);
      return value === undefined
        ? undefined
        : { value, enumerable: true, configurable: true, writable: true };
    },
    get(_t, k) {
      reads.names++;
      return headerOf(k);
    },
    has(_t, k) {
      reads.names++;
      return headerOf(k) !== undefined;
    },
  });
  return { proxy, reads };
}

describe('Outcome.headers reads only the names it needs', () => {
  it('classifies a 503 with 10⁶ header keys without listing them, reading a bounded number of names', () => {
    const { proxy, reads } = countedHeaders(1_000_000, { 'retry-after': '7' });
    const verdict = classify({ status: 503, headers: proxy, body: 'busy' }, [], NOW);
    expect(verdict).toMatchObject({ action: 'retry', retryAfterMs: 7_000 });
    expect(reads.listed).toBe(0);
    expect(reads.names).toBeGreaterThan(0);
    expect(reads.names).toBeLessThan(200); // a few spellings of each name classify reads
  });

  it('reads the same bounded number of names for 10 keys as for 10⁶', () => {
    const small = countedHeaders(10, {
      'x-ratelimit-reset-tokens': '3s',
      'x-ratelimit-remaining-tokens': '0',
    });
    const huge = countedHeaders(1_000_000, {
      'x-ratelimit-reset-tokens': '3s',
      'x-ratelimit-remaining-tokens': '0',
    });
    const a = classify({ status: 429, headers: small.proxy }, [], NOW);
    const b = classify({ status: 429, headers: huge.proxy }, [], NOW);
    expect(waitOf(a)).toBe(3_000);
    expect(b).toEqual(a);
    expect(huge.reads).toEqual(small.reads);
    expect(huge.reads.listed).toBe(0);
  });

  it('finds a header added after 10⁶ others in a plain object', () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 1_000_000; i++) headers[`x-h${i}`] = 'v';
    headers['retry-after'] = '2';
    expect(waitOf(classify({ status: 503, headers }, [], NOW))).toBe(2_000);
  });

  it('finds the usual spellings in a plain object, and any spelling in a Map or Headers', () => {
    for (const name of ['retry-after', 'Retry-After', 'RETRY-AFTER']) {
      expect(toOutcome({ status: 429, headers: { [name]: '4' } }).headers['retry-after']).toBe('4');
    }
    const reset = { 'X-RateLimit-Reset-Requests': '2s', 'X-RateLimit-Remaining-Requests': '0' };
    expect(waitOf(classify({ status: 429, headers: reset }, [], NOW))).toBe(2_000);
    expect(waitOf(classify({ status: 429, headers: new Map([['retry-AFTER', '5']]) }, [], NOW))).toBe(5_000);
    const fetchHeaders = new Headers([['retry-AFTER', '6']]);
    expect(waitOf(classify({ status: 429, headers: fetchHeaders }, [], NOW))).toBe(6_000);
  });

  it('finds another spelling in a plain object once its keys are listed (the documented gotcha)', () => {
    const o = toOutcome({ status: 429, headers: { 'retry-AFTER': '8' } });
    expect(o.headers['retry-after']).toBeUndefined();
    const listed = toOutcome({ status: 429, headers: { 'retry-AFTER': '8' } });
    expect(Object.keys(listed.headers)).toEqual(['retry-after']);
    expect(listed.headers['retry-after']).toBe('8');
  });

  it('is a record: own names, no upper-case names, JSON and spread give the listed headers', () => {
    const o = toOutcome({ status: 500, headers: { 'Content-Type': 'text/plain', 'X-N': 3 } });
    expect(Object.hasOwn(o.headers, 'content-type')).toBe(true);
    expect('x-n' in o.headers).toBe(true);
    expect(o.headers['Content-Type']).toBeUndefined();
    expect(o.headers['x-missing']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(o.headers))).toEqual({ 'content-type': 'text/plain', 'x-n': '3' });
    expect({ ...o.headers }).toEqual({ 'content-type': 'text/plain', 'x-n': '3' });
  });

  it('never throws on a source whose traps throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
        getOwnPropertyDescriptor() {
          throw new Error('no');
        },
        ownKeys() {
          throw new Error('no');
        },
        getPrototypeOf() {
          throw new Error('no');
        },
      },
    );
    const o = toOutcome({ status: 503, headers: hostile });
    expect(o.headers['retry-after']).toBeUndefined();
    expect(Object.keys(o.headers)).toEqual([]);
    expect(classify({ status: 503, headers: hostile }, [], NOW).action).toBe('retry');
  });
});
