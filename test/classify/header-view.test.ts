import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { headerView } from '../../src/classify/lazy-headers.js';

const NOW = Date.UTC(2025, 0, 1);

describe('headerView: reading one header by name', () => {
  it('reads a plain object with an entries method but no get by its own properties (not as a Map)', () => {
    const h = { entries: () => [][Symbol.iterator](), 'retry-after': '5' };
    expect(headerView(h)['retry-after']).toBe('5');
  });

  it('reads a plain object with a get method but no entries by its own properties, not through get', () => {
    const h = { get: () => 'from get', 'retry-after': '5' };
    expect(headerView(h)['retry-after']).toBe('5');
  });

  it('reads a Map and a Headers by name, whatever the spelling they hold', () => {
    expect(headerView(new Map([['Retry-After', '7']]))['retry-after']).toBe('7');
    expect(headerView(new Headers({ 'Retry-After': '8' }))['retry-after']).toBe('8');
  });

  it('skips a spelling whose value is not a header value and reads the next', () => {
    expect(headerView({ 'retry-after': { nested: 1 }, 'Retry-After': '3' })['retry-after']).toBe('3');
    expect(headerView({ 'retry-after': null, 'RETRY-AFTER': '4' })['retry-after']).toBe('4');
  });

  it('reads a boolean value of a plain object as its text', () => {
    const v = classify({ status: 503, headers: { 'x-should-retry': false } }, [], NOW);
    expect(v).toEqual({ action: 'fail', reason: 'unclassified', scope: 'request', status: 503 });
  });

  it("skips axios's unset headers (false), which its toJSON() drops too", () => {
    const h = new AxiosHeaders({ 'Retry-After': '3' });
    h.set('x-should-retry', false);
    expect(headerView(h)['x-should-retry']).toBeUndefined();
    expect(headerView(h)['retry-after']).toBe('3');
    expect(classify({ status: 503, headers: h }, [], NOW)).toEqual({
      action: 'retry',
      reason: 'server-error',
      status: 503,
      retryAfterMs: 3_000,
    });
  });

  it('does not read a header inherited from the prototype, as listing does not', () => {
    const h = Object.create({ 'retry-after': '9' }) as Record<string, string>;
    h['x-request-id'] = 'abc';
    const view = headerView(h);
    expect(view['retry-after']).toBeUndefined();
    expect(Object.keys(view)).toEqual(['x-request-id']);
  });

  it('answers `in` and descriptors for symbols without throwing', () => {
    const view = headerView({ 'retry-after': '1' });
    expect(Symbol.iterator in view).toBe(false);
    expect(Object.getOwnPropertyDescriptor(view, Symbol('x'))).toBeUndefined();
    expect('retry-after' in view).toBe(true);
    expect(Object.getOwnPropertyDescriptor(view, 'retry-after')?.value).toBe('1');
  });

  it('keeps a value once read, even when listing would read another spelling last', () => {
    const view = headerView({ 'retry-after': '2', 'Retry-After': '1' });
    expect(view['retry-after']).toBe('2');
    expect(Object.keys(view)).toEqual(['retry-after']);
    expect(view['retry-after']).toBe('2');
  });

  it('lists the source once, however often its keys are asked for', () => {
    let listed = 0;
    const source = new Proxy({ 'retry-after': '1', 'x-a': 'b' } as Record<string, string>, {
      ownKeys(t) {
        listed++;
        return Reflect.ownKeys(t);
      },
    });
    const view = headerView(source);
    expect(Object.keys(view)).toEqual(['retry-after', 'x-a']);
    expect(Object.keys(view)).toEqual(['retry-after', 'x-a']);
    expect(JSON.stringify(view)).toBe('{"retry-after":"1","x-a":"b"}');
    expect(listed).toBe(1);
  });
});
