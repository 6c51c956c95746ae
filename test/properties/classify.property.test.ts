/**
 * `classify` takes whatever a caller has, so it must be total: for any input — cyclic objects,
 * getters that throw, Proxies that throw on every trap, huge strings and header sets — it returns a
 * valid Verdict and never throws. Run with a fixed seed (the same cases in CI every time) and once
 * with a fresh seed, which fast-check prints when it fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import type { Verdict } from '../../src/classify/verdict.js';
import { cohere } from '../../src/presets/index.js';

const RETRY = ['rate-limited', 'cancelled', 'stream-error', 'server-error', 'network', 'timeout'];
const FAIL = [
  'invalid-request',
  'too-many-tokens',
  'unauthorized',
  'forbidden',
  'payment-required',
  'not-found',
  'quota-exhausted',
  'aborted',
  'unclassified',
];

/** The shape every verdict must have, whatever it was made from. */
function expectValid(v: Verdict): void {
  expect(['ok', 'retry', 'fail']).toContain(v.action);
  if (v.status !== undefined) {
    expect(Number.isInteger(v.status)).toBe(true);
    expect(v.status).toBeGreaterThanOrEqual(100);
    expect(v.status).toBeLessThanOrEqual(599);
  }
  if (v.message !== undefined) expect(typeof v.message).toBe('string');
  if (v.action === 'retry') {
    expect(RETRY).toContain(v.reason);
    if (v.retryAfterMs !== undefined) {
      expect(Number.isFinite(v.retryAfterMs)).toBe(true);
      expect(v.retryAfterMs).toBeGreaterThanOrEqual(0);
    }
    if (v.limit !== undefined) expect(['calls', 'tokens']).toContain(v.limit);
  }
  if (v.action === 'fail') {
    expect(FAIL).toContain(v.reason);
    expect(['request', 'account']).toContain(v.scope);
  }
}

/** A Proxy that throws on every trap. */
const hostile = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('get');
      },
      has: () => {
        throw new Error('has');
      },
      ownKeys: () => {
        throw new Error('ownKeys');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('descriptor');
      },
      getPrototypeOf: () => {
        throw new Error('proto');
      },
    },
  );

const throwingGetters = (keys: string[]) => {
  const o = {};
  for (const k of keys)
    Object.defineProperty(o, k, {
      enumerable: true,
      get: () => {
        throw new Error(k);
      },
    });
  return o;
};

const statusLike = fc.oneof(
  fc.constantFrom(200, 400, 401, 402, 404, 408, 429, 499, 500, 502, 503, 529, 0, -1, 1e9, Number.NaN),
  fc.integer(),
  fc.string({ maxLength: 5 }),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('0', '1', '1e12', '-5', 'NaN', 'Sun, 06 Nov 1994 08:49:37 GMT', '6m0s', '1.5s'),
  fc.integer(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);
const headerName = fc.constantFrom(
  'retry-after',
  'retry-after-ms',
  'x-ratelimit-reset',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
  'x-ratelimit-remaining-tokens',
  'content-type',
  '__proto__',
  'constructor',
);
const headers = fc.oneof(
  fc.dictionary(fc.oneof(headerName, fc.string({ maxLength: 10 })), headerValue, { maxKeys: 8 }),
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
);
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{"message":"Please try again in 20s"}',
    'You are using a Trial key, which is limited to 40 API calls / minute.',
    '<html><body>502 Bad Gateway</body></html>',
  ),
  fc.uint8Array({ maxLength: 64 }),
  fc.object({ maxDepth: 2 }),
);
const errorLike = fc.record(
  {
    name: fc.constantFrom(
      'Error',
      'TypeError',
      'AbortError',
      'TimeoutError',
      'HTTPError',
      'AxiosError',
      'CohereError',
    ),
    message: fc.string({ maxLength: 100 }),
    code: fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'ERR_CANCELED', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'X'),
    status: statusLike,
    statusCode: statusLike,
    body,
    headers,
    response: fc.record(
      { status: statusLike, statusCode: statusLike, data: body, body, headers },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/**
 * Anything at all. Hostile shapes are built inside the property (from a thunk), since fast-check
 * itself inspects the values it generates.
 */
const anything: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.anything().map((x) => () => x),
  errorLike.map((e) => () => e),
  errorLike.map((e) => () => Object.assign(new Error(String(e.message ?? '')), e)),
  errorLike.map((e) => () => {
    const cyclic: Record<string, unknown> = { ...e };
    cyclic.cause = cyclic;
    cyclic.response = { ...(e.response ?? {}), self: cyclic, headers: cyclic };
    return cyclic;
  }),
  fc.constant(() => hostile()),
  fc
    .uniqueArray(fc.constantFrom('status', 'response', 'headers', 'body', 'message', 'code', 'cause', 'name'))
    .map((keys) => () => throwingGetters(keys)),
  errorLike.map((e) => () => ({ ...e, cause: hostile() })),
  errorLike.map((e) => () => ({ ...e, response: { ...(e.response ?? {}), headers: hostile() } })),
  errorLike.map((e) => () => ({ ...e, response: { ...(e.response ?? {}), data: hostile() } })),
);

const rules = cohere().classifier!;

describe('classify is total', () => {
  const property = fc.property(anything, fc.boolean(), (make, withRules) => {
    const x = make();
    let v: Verdict | undefined;
    expect(() => {
      v = classify(x, withRules ? rules : [], 1_700_000_000_000);
    }).not.toThrow();
    expectValid(v!);
  });

  it('returns a valid verdict for any input (fixed seed)', () => {
    fc.assert(property, { seed: 20261202, numRuns: 2_000 });
  });

  it('returns a valid verdict for any input (fresh seed, printed on failure)', () => {
    fc.assert(property, { numRuns: 500 });
  });

  it('stays total on huge inputs', () => {
    const big = 'x'.repeat(5_000_000);
    const manyHeaders: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) manyHeaders[`h${i}`] = String(i);
    for (const x of [
      { status: 503, body: big, headers: manyHeaders },
      { status: 429, body: `{"message":"${big}"}` },
      { response: { status: 500, data: Buffer.alloc(5_000_000, 0x7b) } },
      big,
    ]) {
      const v = classify(x, rules, 0);
      expectValid(v);
      expect((v.message ?? '').length).toBeLessThanOrEqual(1_000);
    }
  });
});
