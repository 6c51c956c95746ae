/** How a call's cost and reported usage are routed onto the shared and per-endpoint dimensions. */
import { describe, expect, it } from 'vitest';
import { baseDimension, checkEndpoints, EndpointRouter, isCallDimension } from '../../src/limit/endpoints.js';

const M = { limit: 40, windowMs: 60_000 };

describe('baseDimension and isCallDimension', () => {
  it('strips the endpoint and the window label', () => {
    expect(baseDimension('calls')).toBe('calls');
    expect(baseDimension('chat:calls')).toBe('calls');
    expect(baseDimension('calls/month')).toBe('calls');
    expect(baseDimension('chat:calls/month')).toBe('calls');
    expect(baseDimension('embed:inputs')).toBe('inputs');
    expect(baseDimension('tokens')).toBe('tokens');
  });

  it('counts whole calls on calls, chat:calls, calls/month; not on tokens or callsx', () => {
    for (const d of ['calls', 'chat:calls', 'calls/month', 'chat:calls/day'])
      expect(isCallDimension(d)).toBe(true);
    for (const d of ['tokens', 'callsx', 'chat:tokens', 'xcalls/month', ''])
      expect(isCallDimension(d)).toBe(false);
  });
});

describe('checkEndpoints', () => {
  it('takes undefined and an object of limits', () => {
    expect(() => checkEndpoints(undefined, 'limiter.endpoints')).not.toThrow();
    expect(() => checkEndpoints({ chat: { calls: M } }, 'limiter.endpoints')).not.toThrow();
  });

  it('refuses a non-object, naming the path', () => {
    expect(() => checkEndpoints(5, 'limiter.endpoints')).toThrow(
      "steady: limiter.endpoints must be an object of endpoints' limits such as { chat: { calls: { limit: 40, windowMs: 60_000 } } }, got 5",
    );
  });

  it("refuses an endpoint name that is empty or holds ':' or '/'", () => {
    for (const name of ['', 'a:b', 'a/b']) {
      expect(() => checkEndpoints({ [name]: { calls: M } }, 'p')).toThrow(
        `steady: p[${JSON.stringify(name)}] must be an endpoint's name without ':' or '/'`,
      );
    }
  });

  it("checks each endpoint's limits under its own path", () => {
    expect(() => checkEndpoints({ chat: { calls: { limit: -1, windowMs: 1 } } }, 'p')).toThrow(
      'p.chat.calls',
    );
    expect(() => checkEndpoints({ chat: 5 }, 'p')).toThrow('steady: p.chat must be');
  });
});

describe('EndpointRouter', () => {
  it('lists every ledger dimension: the shared ones, then <endpoint>:<dimension>', () => {
    const r = new EndpointRouter({ calls: M }, { chat: { calls: M, tokens: M }, rerank: { calls: M } });
    expect(Object.keys(r.limits)).toEqual(['calls', 'chat:calls', 'chat:tokens', 'rerank:calls']);
    expect(r.active).toBe(true);
  });

  it('is inactive with plain shared limits and no endpoint; active with a shared calls/month', () => {
    expect(new EndpointRouter({ calls: M, tokens: M }).active).toBe(false);
    expect(new EndpointRouter({ calls: M }, {}).active).toBe(false);
    expect(new EndpointRouter({ calls: M, 'calls/month': M }).active).toBe(true);
  });

  it("charges a call on the shared dimensions and its own endpoint's, not on another's", () => {
    const r = new EndpointRouter(
      { calls: M, 'calls/month': M },
      { chat: { calls: M, tokens: M }, embed: { inputs: M } },
    );
    expect(r.cost('chat', { calls: 1, tokens: 300 })).toEqual({
      calls: 1,
      tokens: 300,
      'calls/month': 1,
      'chat:calls': 1,
      'chat:tokens': 300,
    });
    expect(r.cost('embed', { calls: 1, inputs: 96 })).toEqual({
      calls: 1,
      inputs: 96,
      'calls/month': 1,
      'embed:inputs': 96,
    });
    // No endpoint, or one not listed: shared dimensions only.
    expect(r.cost(undefined, { calls: 1, tokens: 5 })).toEqual({ calls: 1, tokens: 5, 'calls/month': 1 });
    expect(r.cost('rerank', { calls: 1 })).toEqual({ calls: 1, 'calls/month': 1 });
  });

  it('a cost of 0 on a base is not routed; reported usage of 0 is (it settles the estimate to 0)', () => {
    const r = new EndpointRouter({ calls: M }, { chat: { calls: M, tokens: M } });
    expect(r.cost('chat', { calls: 1, tokens: 0 })).toEqual({ calls: 1, tokens: 0, 'chat:calls': 1 });
    expect(r.usage('chat', { tokens: 0 })).toEqual({ tokens: 0, 'chat:tokens': 0 });
    expect(r.usage('chat', { tokens: 1_830 })).toEqual({ tokens: 1_830, 'chat:tokens': 1_830 });
    expect(r.usage('chat', undefined)).toBeUndefined();
    expect(r.usage('other', { tokens: 7 })).toEqual({ tokens: 7 });
  });

  it('does not change the cost it is given', () => {
    const r = new EndpointRouter({ calls: M }, { chat: { calls: M } });
    const cost = { calls: 1 };
    r.cost('chat', cost);
    expect(cost).toEqual({ calls: 1 });
  });
});
