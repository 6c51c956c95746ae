import { Socket } from 'node:net';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, secretsOf } from '../../src/errors/redact.js';
import { FatalError, rawCause, StreamInterruptedError } from '../../src/index.js';

const KEY = 'sk-abc123def456ghi789';

/** Every way a value could be shown. */
const shown = (x: unknown) =>
  `${safeJson(x)}\n${inspect(x, { depth: Number.POSITIVE_INFINITY, showHidden: true })}`;
function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x) ?? '';
  } catch {
    return '';
  }
}

describe('redact', () => {
  it('replaces credential headers and scrubs their values from text; other fields are kept as they are', () => {
    const error = {
      status: 401,
      headers: {
        Authorization: `Bearer ${KEY}`,
        'x-request-id': 'req-42',
        'Proxy-Authorization': 'Basic dXNlcjpwYXNzd29yZA==',
        'x-api-key': 'k-0987654321',
        'set-cookie': ['sid=s3ss10n-v4lue; Path=/; HttpOnly'],
      },
      body: `invalid api token ${KEY}; key k-0987654321; your session s3ss10n-v4lue expired`,
    };
    expect(redact(error)).toEqual({
      status: 401,
      headers: {
        Authorization: '[redacted]',
        'x-request-id': 'req-42',
        'Proxy-Authorization': '[redacted]',
        'x-api-key': '[redacted]',
        'set-cookie': '[redacted]',
      },
      body: 'invalid api token [redacted]; key [redacted]; your session [redacted] expired',
    });
  });

  it('scrubs Bearer and Basic tokens it was never told about, not prose', () => {
    expect(redact('upstream said: authorization: bearer abcdefgh12345678, Basic dXNlcjpwYXNzd29yZA==')).toBe(
      'upstream said: authorization: bearer [redacted], Basic [redacted]',
    );
    expect(redact('BEARER eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe('BEARER [redacted]');
    expect(redact('missing bearer token; requires Basic authentication; bearer credentials')).toBe(
      'missing bearer token; requires Basic authentication; bearer credentials',
    );
  });

  it('scrubs declared secrets: strings, and the credential headers of a record, Headers or pairs', () => {
    const text = 'one sk-declared-1 two sk-declared-2 three sk-declared-3 four sk-declared-4';
    const declared = [
      'sk-declared-1',
      { 'X-Api-Key': 'sk-declared-2', accept: 'json' },
      new Headers({ authorization: 'Bearer sk-declared-3' }),
      [['api-key', 'sk-declared-4']],
    ];
    expect(redact(text, declared)).toBe('one [redacted] two [redacted] three [redacted] four [redacted]');
    expect(redact('accept json', declared)).toBe('accept json'); // a plain header is not a secret
  });

  it('keeps prototypes: an error stays an instance of its class, with its message, stack and cause scrubbed', () => {
    class HTTPError extends Error {
      override name = 'HTTPError';
      constructor(
        message: string,
        readonly options: { headers: Record<string, string> },
      ) {
        super(message, { cause: new TypeError(`inner ${KEY}`) });
      }
      describe(): string {
        return `${this.name}: ${this.message}`;
      }
    }
    const raw = new HTTPError(`failed with ${KEY}`, { headers: { authorization: KEY } });
    const copy = redact(raw) as HTTPError;
    expect(copy).toBeInstanceOf(HTTPError);
    expect(copy).not.toBe(raw);
    expect(copy.message).toBe('failed with [redacted]');
    expect(copy.describe()).toBe('HTTPError: failed with [redacted]');
    expect(copy.stack?.split('\n')[0]).toBe('HTTPError: failed with [redacted]');
    expect(copy.options.headers.authorization).toBe('[redacted]');
    expect((copy.cause as Error).message).toBe('inner [redacted]');
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect(shown(copy)).not.toContain(KEY);
    expect(rawCause(copy)).toBe(raw);
    expect(raw.message).toBe(`failed with ${KEY}`); // the original is untouched
  });

  it('drops sockets, signals and promises; keeps Dates, Maps, Buffers (scrubbed) and functions', () => {
    const socket = new Socket();
    const fn = () => 1;
    const copy = redact({
      socket,
      signal: new AbortController().signal,
      pending: Promise.resolve(KEY),
      at: new Date(5),
      map: new Map<string, unknown>([
        ['token', KEY],
        ['n', 1],
      ]),
      raw: Buffer.from(`{"key":"${KEY}"}`, 'utf8'),
      fn,
      authorization: KEY,
    }) as Record<string, unknown>;
    socket.destroy();
    expect(Object.keys(copy)).toEqual(['at', 'map', 'raw', 'fn', 'authorization']);
    expect(copy.at).toEqual(new Date(5));
    expect(copy.map).toEqual(
      new Map<string, unknown>([
        ['token', '[redacted]'],
        ['n', 1],
      ]),
    );
    expect((copy.raw as Buffer).toString()).toBe('{"key":"[redacted]"}');
    expect(copy.fn).toBe(fn);
  });

  it('copies a cycle as a cycle', () => {
    const a: Record<string, unknown> = { name: 'a', token: KEY };
    a.self = a;
    a.list = [a, { back: a }];
    const copy = redact(a) as typeof a;
    expect(copy.self).toBe(copy);
    expect((copy.list as unknown[])[0]).toBe(copy);
    expect(((copy.list as unknown[])[1] as { back: unknown }).back).toBe(copy);
    expect(copy.token).toBe('[redacted]');
  });

  it('never throws: throwing getters, hostile and revoked Proxies, endless getters, huge and deep values', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('nope');
      },
    });
    expect(redact(getter)).toEqual({ ok: 1, bad: '[unreadable]' });

    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('ownKeys');
        },
        getPrototypeOf: () => {
          throw new Error('getPrototypeOf');
        },
        get: () => {
          throw new Error('get');
        },
      },
    );
    expect(redact(hostile)).toBe('[unreadable]');
    expect(redact({ inner: hostile, authorization: KEY })).toEqual({
      inner: '[unreadable]',
      authorization: '[redacted]',
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(redact({ proxy })).toEqual({ proxy: '[unreadable]' });
    expect(() => secretsOf({ hostile, proxy })).not.toThrow();

    // A getter that makes a new object every time: bounded by depth and object count.
    const endless = (): object => ({
      get next() {
        return endless();
      },
    });
    expect(() => inspect(redact(endless()), { depth: Number.POSITIVE_INFINITY })).not.toThrow();

    let deep: Record<string, unknown> = { authorization: KEY };
    for (let i = 0; i < 50; i++) deep = { deep };
    expect(shown(redact(deep))).toContain('[truncated]');

    const huge = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`h${i}`, i]));
    expect(Object.keys(redact(huge) as object)).toHaveLength(1_000);
  });

  it('property: any value, with a secret planted under a credential key and in a string, comes out without it', () => {
    const secret = fc.stringMatching(/^sk-[a-z0-9]{12,24}$/);
    fc.assert(
      fc.property(
        fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true }),
        secret,
        (x, key) => {
          const planted = {
            x,
            headers: { Authorization: `Bearer ${key}` },
            message: `echo: ${key}`,
            list: [x, key],
          };
          let copy: unknown;
          expect(() => {
            copy = redact(planted);
          }).not.toThrow();
          expect(shown(copy)).not.toContain(key);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: never throws on arbitrary values, however odd', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true }), (x) => {
        expect(() => inspect(redact(x), { depth: Number.POSITIVE_INFINITY })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('steady errors redact in their constructor', () => {
  it('scrubs the message, the verdict and the cause with the secrets found and declared; rawCause has the original', () => {
    const cause = { status: 401, config: { headers: { 'x-api-key': 'found-key-123' } } };
    const err = new FatalError('steady: unauthorized: found-key-123 / declared-key-456', {
      cause,
      verdict: {
        action: 'fail',
        reason: 'unauthorized',
        scope: 'account',
        message: 'bad key declared-key-456',
      },
      attempts: 1,
      secrets: ['declared-key-456'],
    });
    expect(err.message).toBe('steady: unauthorized: [redacted] / [redacted]');
    expect(err.verdict?.message).toBe('bad key [redacted]');
    expect(err.cause).toEqual({ status: 401, config: { headers: { 'x-api-key': '[redacted]' } } });
    expect(rawCause(err)).toBe(cause);
    expect(rawCause(new FatalError('no cause'))).toBeUndefined();
  });

  it('StreamInterruptedError too (it is made outside the loop)', () => {
    const err = new StreamInterruptedError(`steady: the stream broke: invalid token ${KEY}`, {
      cause: new Error(`invalid token ${KEY}`),
      chunksDelivered: 2,
      secrets: [KEY],
    });
    expect(err.message).toBe('steady: the stream broke: invalid token [redacted]');
    expect(shown(err)).not.toContain(KEY);
    expect(err.chunksDelivered).toBe(2);
  });
});
