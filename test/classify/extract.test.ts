import { AxiosError, AxiosHeaders, CanceledError } from 'axios';
import { Cohere, CohereError, CohereTimeoutError } from 'cohere-ai';
import { CancelError, HTTPError, RequestError, TimeoutError } from 'got';
import { describe, expect, it } from 'vitest';
import { toOutcome } from '../../src/classify/extract.js';

const RATE_LIMITED = 'trial token rate limit exceeded, limit is 100000 tokens per minute';

/** A fake got request/response pair, enough for got's own HTTPError constructor. */
function gotResponse(statusCode: number, body: unknown, headers: Record<string, string | string[]>) {
  const request: Record<string, unknown> = {
    _onResponse() {},
    options: { method: 'POST', url: new URL('https://api.cohere.com/v2/chat') },
  };
  const response = { statusCode, statusMessage: 'Too Many Requests', body, headers, request };
  request.response = response;
  return response;
}

function codeError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toOutcome: fetch Response and plain objects', () => {
  it('reads status and lower-cased headers from a fetch Response, not its streamed body', () => {
    const res = new Response(JSON.stringify({ message: RATE_LIMITED }), {
      status: 429,
      headers: { 'Retry-After': '3', 'X-Trace': 'abc' },
    });
    const o = toOutcome(res);
    expect(o.status).toBe(429);
    expect(o.headers).toMatchObject({ 'retry-after': '3', 'x-trace': 'abc' });
    expect(o.message).toBeUndefined();
    expect(o.body).toBeUndefined();
    expect(o.source).toBe(res);
    expect(res.bodyUsed).toBe(false);
  });

  it('parses a JSON string body and takes its message', () => {
    const o = toOutcome({ status: 400, body: '{"message":"invalid request: query must not be empty"}' });
    expect(o).toMatchObject({ status: 400, message: 'invalid request: query must not be empty' });
    expect(o.body).toEqual({ message: 'invalid request: query must not be empty' });
  });

  it('takes the message of a parsed object body, with error.message / error / detail fallbacks', () => {
    expect(toOutcome({ status: 429, body: { message: RATE_LIMITED } }).message).toBe(RATE_LIMITED);
    expect(toOutcome({ status: 429, body: { error: { message: 'nested' } } }).message).toBe('nested');
    expect(toOutcome({ status: 429, body: { error: 'flat' } }).message).toBe('flat');
    expect(toOutcome({ status: 422, body: { detail: 'fastapi says no' } }).message).toBe('fastapi says no');
    expect(toOutcome({ status: 500, body: { other: 1 } }).message).toBeUndefined();
  });

  it('reads a text body trimmed and capped at 1,000 characters', () => {
    expect(toOutcome({ status: 502, body: '  Bad gateway \n' }).message).toBe('Bad gateway');
    const long = toOutcome({ status: 500, body: 'x'.repeat(5_000) });
    expect(long.message).toHaveLength(1_000);
    expect(long.body).toHaveLength(5_000);
  });

  it('looks at 64 KiB of a body by default, or maxBodyBytes: the body is then that much', () => {
    const big = toOutcome({ status: 503, body: 'z'.repeat(200_000) });
    expect(big.body).toHaveLength(65_536);
    expect(big.message).toHaveLength(1_000);
    expect(toOutcome({ status: 503, body: Buffer.alloc(1_000_000, 'b') }, 10).body).toBe('bbbbbbbbbb');
    expect(toOutcome({ status: 503, body: new Uint8Array(300_000).fill(97).buffer }).body).toHaveLength(
      65_536,
    );
    // A JSON body cut by the cap no longer parses: it is read as text.
    const json = JSON.stringify({ message: 'too big', pad: 'p'.repeat(100) });
    expect(toOutcome({ status: 500, body: json }, 20)).toMatchObject({ body: json.slice(0, 20) });
    expect(toOutcome({ status: 500, body: json }, 0).body).toBeUndefined();
  });

  it('bounds the work on huge messages and header objects', () => {
    const blank = ' '.repeat(5_000_000);
    expect(toOutcome({ status: 500, body: { message: `${blank}late` } }).message).toBeUndefined();
    expect(toOutcome(`${'m'.repeat(5_000_000)}`).message).toHaveLength(1_000);
    const headers: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) headers[`X-H${i}`] = String(i);
    const o = toOutcome({ status: 503, headers });
    expect(Object.keys(o.headers)).toHaveLength(500);
    expect(o.headers['x-h499']).toBe('499');
    expect(o.headers['x-h500']).toBeUndefined();
    const map = new Map(Object.entries(headers));
    expect(Object.keys(toOutcome({ status: 503, headers: map }).headers)).toHaveLength(500);
  });

  it('reads an HTML body as text without its tags', () => {
    const o = toOutcome({
      status: 429,
      body: '<html><body><h1>429 Too Many Requests</h1>\n<hr>nginx</body></html>',
    });
    expect(o.message).toBe('429 Too Many Requests nginx');
  });

  it('treats broken JSON as text', () => {
    expect(toOutcome({ status: 400, body: '{"message": "cut off' }).message).toBe('{"message": "cut off');
  });

  it('decodes a Buffer body', () => {
    expect(toOutcome({ status: 404, body: Buffer.from('{"message":"404 page not found"}') }).message).toBe(
      '404 page not found',
    );
  });

  it('accepts headers as a plain object, Headers, Map or AxiosHeaders', () => {
    const want = { 'retry-after': '5', 'x-ratelimit-reset': '1s' };
    const shapes = [
      { 'Retry-After': '5', 'X-RateLimit-Reset': '1s' },
      new Headers({ 'Retry-After': '5', 'X-RateLimit-Reset': '1s' }),
      new Map([
        ['Retry-After', '5'],
        ['X-RateLimit-Reset', '1s'],
      ]),
      new AxiosHeaders({ 'Retry-After': '5', 'X-RateLimit-Reset': '1s' }),
    ];
    for (const headers of shapes) expect(toOutcome({ status: 429, headers }).headers).toEqual(want);
  });

  it('joins array header values and reads numbers', () => {
    expect(
      toOutcome({ status: 200, headers: { 'Set-Cookie': ['a=1', 'b=2'], 'Retry-After': 3 } }).headers,
    ).toEqual({
      'set-cookie': 'a=1, b=2',
      'retry-after': '3',
    });
  });

  it('accepts statusCode and a numeric string status', () => {
    expect(toOutcome({ statusCode: 503 }).status).toBe(503);
    expect(toOutcome({ status: '429' }).status).toBe(429);
    expect(toOutcome({ status: 'error' }).status).toBeUndefined();
    expect(toOutcome({ status: 1234 }).status).toBeUndefined();
  });
});

describe('toOutcome: got', () => {
  it("reads got's HTTPError response", () => {
    const err = new HTTPError(
      gotResponse(429, JSON.stringify({ message: RATE_LIMITED }), { 'retry-after': '7' }) as never,
    );
    const o = toOutcome(err);
    expect(o).toMatchObject({ status: 429, message: RATE_LIMITED, name: 'HTTPError' });
    expect(o.headers['retry-after']).toBe('7');
  });

  it("reads got's RequestError code, and the cause's code under ERR_GOT_REQUEST_ERROR", () => {
    expect(
      toOutcome(new RequestError('read ECONNRESET', codeError('read ECONNRESET', 'ECONNRESET'), {} as never))
        .code,
    ).toBe('ECONNRESET');
    const inner = new TypeError('fetch failed', { cause: codeError('other side closed', 'UND_ERR_SOCKET') });
    const wrapped = new RequestError('fetch failed', inner, {} as never);
    expect(wrapped.code).toBe('ERR_GOT_REQUEST_ERROR');
    expect(toOutcome(wrapped).code).toBe('UND_ERR_SOCKET');
    expect(toOutcome(new RequestError('odd', new Error('odd'), {} as never)).code).toBe(
      'ERR_GOT_REQUEST_ERROR',
    );
  });

  it("reads got's TimeoutError and CancelError", () => {
    const timeout = new TimeoutError(
      Object.assign(codeError('Timeout awaiting request for 50ms', 'ETIMEDOUT'), {
        event: 'request',
      }) as never,
      {} as never,
      {} as never,
    );
    expect(toOutcome(timeout)).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(toOutcome(new CancelError({} as never))).toMatchObject({
      name: 'CancelError',
      code: 'ERR_CANCELED',
    });
  });
});

describe('toOutcome: axios', () => {
  it('reads an AxiosError response (data, AxiosHeaders)', () => {
    const response = {
      status: 429,
      statusText: 'Too Many Requests',
      data: { message: RATE_LIMITED },
      headers: new AxiosHeaders({ 'Retry-After': '2' }),
      config: {} as never,
    };
    const err = new AxiosError(
      'Request failed with status code 429',
      'ERR_BAD_REQUEST',
      undefined,
      null,
      response,
    );
    expect(toOutcome(err)).toMatchObject({
      status: 429,
      message: RATE_LIMITED,
      code: 'ERR_BAD_REQUEST',
      headers: { 'retry-after': '2' },
    });
  });

  it('reads axios codes without a response', () => {
    expect(toOutcome(new CanceledError())).toMatchObject({ code: 'ERR_CANCELED', name: 'CanceledError' });
    const timeout = toOutcome(new AxiosError('timeout of 1000ms exceeded', 'ECONNABORTED'));
    expect(timeout).toMatchObject({ code: 'ECONNABORTED', message: 'timeout of 1000ms exceeded' });
    expect(timeout.status).toBeUndefined();
    expect(toOutcome(new AxiosError('timeout of 1000ms exceeded', 'ETIMEDOUT')).code).toBe('ETIMEDOUT');
  });
});

describe('toOutcome: cohere-ai', () => {
  it('reads a CohereError (statusCode, body, rawResponse Headers)', () => {
    const err = new CohereError({
      statusCode: 429,
      body: { message: RATE_LIMITED },
      rawResponse: { headers: new Headers({ 'Retry-After': '4' }), status: 429 } as never,
    });
    expect(toOutcome(err)).toMatchObject({
      status: 429,
      message: RATE_LIMITED,
      headers: { 'retry-after': '4' },
    });
  });

  it("reads the SDK's typed errors and a non-JSON body", () => {
    const typed = new Cohere.TooManyRequestsError({ message: RATE_LIMITED }, {
      headers: new Headers(),
    } as never);
    expect(toOutcome(typed)).toMatchObject({
      status: 429,
      message: RATE_LIMITED,
      name: 'TooManyRequestsError',
    });
    const text = new CohereError({ statusCode: 502, body: '<html>Bad Gateway</html>' });
    expect(toOutcome(text).message).toBe('Bad Gateway');
  });

  it("does not take the SDK's made-up 499 of an aborted request for a status", () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const err = new CohereError({
      message: 'The user aborted a request',
      rawResponse: { headers: new Headers(), status: 499, statusText: 'Client Closed Request' } as never,
      cause: abort,
    });
    const o = toOutcome(err);
    expect(o.status).toBeUndefined();
    expect(o.name).toBe('AbortError');
    expect(o.message).toBe('The user aborted a request');
  });

  it('reads CohereTimeoutError', () => {
    expect(toOutcome(new CohereTimeoutError('Timeout exceeded when calling POST /v2/chat.')).name).toBe(
      'CohereTimeoutError',
    );
  });

  it('finds a network code under an SDK error', () => {
    const cause = new TypeError('fetch failed', { cause: codeError('connect ECONNREFUSED', 'ECONNREFUSED') });
    expect(toOutcome(new CohereError({ message: 'fetch failed', cause })).code).toBe('ECONNREFUSED');
  });
});

describe('toOutcome: network errors and aborts', () => {
  it("reads undici's fetch failed → cause.code", () => {
    const err = new TypeError('fetch failed', { cause: codeError('other side closed', 'UND_ERR_SOCKET') });
    expect(toOutcome(err)).toMatchObject({ code: 'UND_ERR_SOCKET', message: 'fetch failed' });
  });

  it("reads an AggregateError's first error", () => {
    const agg = new AggregateError(
      [codeError('connect ECONNREFUSED ::1:443', 'ECONNREFUSED')],
      'connect failed',
    );
    expect(toOutcome(new TypeError('fetch failed', { cause: agg })).code).toBe('ECONNREFUSED');
  });

  it('reads a Node system error code', () => {
    expect(toOutcome(codeError('getaddrinfo EAI_AGAIN api.cohere.com', 'EAI_AGAIN')).code).toBe('EAI_AGAIN');
  });

  it('reads AbortError and TimeoutError DOMExceptions, ignoring their numeric code', () => {
    expect(toOutcome(new DOMException('aborted', 'AbortError'))).toMatchObject({ name: 'AbortError' });
    expect(toOutcome(new DOMException('aborted', 'AbortError')).code).toBeUndefined();
    const controller = new AbortController();
    controller.abort();
    expect(toOutcome(controller.signal.reason).name).toBe('AbortError');
    expect(toOutcome(new DOMException('timed out', 'TimeoutError')).name).toBe('TimeoutError');
  });
});

describe('toOutcome never throws', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a symbol', Symbol('x')],
    ['a function', () => 1],
  ])('%s', (_label, x) => {
    expect(toOutcome(x)).toEqual({ headers: {}, source: x });
  });

  it('reads a thrown string as the message', () => {
    expect(toOutcome('  boom ')).toMatchObject({ message: 'boom' });
  });

  it('survives cyclic objects', () => {
    const a: Record<string, unknown> = { status: 500 };
    a.cause = a;
    a.body = a;
    a.headers = a;
    const err = new Error('loop') as Error & { cause?: unknown };
    err.cause = err;
    expect(toOutcome(a).status).toBe(500);
    expect(toOutcome(err).message).toBe('loop');
  });

  it('survives getters that throw and hostile Proxies', () => {
    const bad = {
      get status(): number {
        throw new Error('no');
      },
      get headers(): unknown {
        throw new Error('no');
      },
      statusCode: 418,
    };
    expect(toOutcome(bad)).toMatchObject({ status: 418, headers: {} });
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    // Every read of `trap` goes through a guard, so the outcome is what the guards give.
    const trapped = toOutcome(trap);
    expect(trapped.source).toBe(trap);
    expect(trapped.headers).toEqual({});
    expect(Object.keys(trapped).sort()).toEqual(['headers', 'source']);
    expect(toOutcome({ status: 429, headers: trap, body: trap }).status).toBe(429);
    const badIterator = {
      get: () => undefined,
      entries() {
        throw new Error('no');
      },
    };
    expect(toOutcome({ status: 429, headers: badIterator }).headers).toEqual({});
  });
});

describe('toOutcome: where a throw gets past every guard', () => {
  it('still returns an outcome with the source (no status read half-way)', () => {
    // Object.getPrototypeOf is not guarded: a Proxy body whose prototype trap throws reaches the
    // outermost catch, which gives the bare outcome rather than a half-read one.
    const body = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    const x = { response: { status: 503, data: body } };
    const o = toOutcome(x);
    expect(o).toEqual({ headers: {}, source: x });
  });
});

describe('toOutcome: which message, which status', () => {
  it("prefers the response body's message to the error's own", () => {
    const err = Object.assign(new Error('Request failed with status code 429'), {
      response: { status: 429, data: { message: 'slow down' }, headers: {} },
    });
    expect(toOutcome(err).message).toBe('slow down');
  });

  it("gives no message for a response without one, rather than the error's own", () => {
    const err = Object.assign(new Error('Request failed with status code 500'), {
      response: { status: 500, data: '', headers: {} },
    });
    expect(toOutcome(err).status).toBe(500);
    expect(toOutcome(err).message).toBeUndefined();
    // Without any status the error's own message is all there is.
    expect(toOutcome(new Error('  socket hang up ')).message).toBe('socket hang up');
    expect(toOutcome(new Error('')).message).toBeUndefined();
  });

  it('accepts HTTP statuses 100 to 599 only, from both sides', () => {
    expect(toOutcome({ status: 99 }).status).toBeUndefined();
    expect(toOutcome({ status: 100 }).status).toBe(100);
    expect(toOutcome({ status: 599 }).status).toBe(599);
    expect(toOutcome({ status: 600 }).status).toBeUndefined();
    expect(toOutcome({ status: 0 }).status).toBeUndefined();
    expect(toOutcome({ status: 429.5 }).status).toBeUndefined();
    expect(toOutcome({ status: '099' }).status).toBeUndefined();
    expect(toOutcome({ status: '4290' }).status).toBeUndefined();
    expect(toOutcome({ status: ' 429' }).status).toBeUndefined();
    // A bad `status` gives way to a good `statusCode`.
    expect(toOutcome({ status: 0, statusCode: 503 }).status).toBe(503);
  });

  it("reads the status of the error's response when the error has none", () => {
    const o = toOutcome({ message: 'x', response: { statusCode: 502, body: 'Bad gateway' } });
    expect(o).toMatchObject({ status: 502, message: 'Bad gateway' });
  });
});

describe('toOutcome: bodies of every shape', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('decodes an ArrayBuffer body as UTF-8, up to maxBodyBytes', () => {
    const o = toOutcome({ status: 429, body: bytes('{"message":"zu viele Anfragen – später"}').buffer });
    expect(o.message).toBe('zu viele Anfragen – später');
    expect(o.body).toEqual({ message: 'zu viele Anfragen – später' });
    expect(toOutcome({ status: 500, body: bytes('abcdef').buffer }, 3).body).toBe('abc');
  });

  it('decodes only the bytes a Uint8Array view covers, up to maxBodyBytes', () => {
    const view = new Uint8Array(bytes('xx{"message":"mid"}yy').buffer, 2, 17);
    expect(toOutcome({ status: 400, body: view })).toMatchObject({
      message: 'mid',
      body: { message: 'mid' },
    });
    expect(toOutcome({ status: 400, body: view }, 4).body).toBe('{"me');
  });

  it('exposes an object body without a message as the body', () => {
    const body = { code: 'quota', remaining: 0 };
    const o = toOutcome({ status: 500, body });
    expect(o.body).toBe(body);
    expect(o.message).toBeUndefined();
    expect(toOutcome({ status: 500, body: [1, 2] }).body).toEqual([1, 2]);
  });

  it('parses JSON after leading whitespace, and a JSON string as text', () => {
    const o = toOutcome({ status: 400, body: ' \n\t{"message":"bad field"}  ' });
    expect(o).toMatchObject({ message: 'bad field', body: { message: 'bad field' } });
    expect(toOutcome({ status: 400, body: '  ["a"]' }).body).toEqual(['a']);
    const quoted = toOutcome({ status: 503, body: ' "  overloaded, try later " ' });
    expect(quoted).toMatchObject({ body: '  overloaded, try later ', message: 'overloaded, try later' });
  });

  it('gives no body and no message for an empty or blank body', () => {
    for (const body of ['', '   \n', bytes(''), new ArrayBuffer(0)]) {
      const o = toOutcome({ status: 500, body });
      expect(o.body, String(body)).toBeUndefined();
      expect(o.message, String(body)).toBeUndefined();
    }
  });

  it('takes the detail message of a FastAPI-style body, and skips blank candidates', () => {
    expect(toOutcome({ status: 422, body: { detail: { message: 'field x' } } }).message).toBe('field x');
    expect(toOutcome({ status: 429, body: { message: '  ', error: 'flat' } }).message).toBe('flat');
  });

  it('skips stream bodies (fetch ReadableStream, Node stream)', () => {
    expect(toOutcome({ status: 500, body: new ReadableStream() }).body).toBeUndefined();
    expect(toOutcome({ status: 500, body: { pipe() {}, message: 'no' } })).not.toHaveProperty('message');
  });
});

describe('toOutcome: header values', () => {
  it('finds a named header wherever it sits, and lists the first 500, from an object and a Map', () => {
    const headers: Record<string, string> = {};
    for (let i = 1; i <= 501; i++) headers[`h${i}`] = String(i);
    const fromObject = toOutcome({ status: 503, headers }).headers;
    expect(fromObject.h501).toBe('501');
    expect(Object.keys(fromObject)).toHaveLength(501); // the first 500 listed, and h501 read before
    expect(Object.keys(toOutcome({ status: 503, headers }).headers)).toHaveLength(500);
    const fromMap = toOutcome({ status: 503, headers: new Map(Object.entries(headers)) }).headers;
    expect(fromMap.h501).toBe('501');
    expect(
      Object.keys(toOutcome({ status: 503, headers: new Map(Object.entries(headers)) }).headers),
    ).toHaveLength(500);
  });

  it('keeps strings, numbers and booleans; drops other values, __proto__ and inherited names', () => {
    const headers = Object.assign(Object.create({ inherited: 'x' }) as object, {
      'X-A': 'a',
      'X-N': 0,
      'X-B': false,
      'X-Obj': { v: 1 },
      'X-Null': null,
      'X-List': ['a', 2, null, { o: 1 }, 'b'],
    });
    Object.defineProperty(headers, '__proto__', { value: 'evil', enumerable: true });
    const o = toOutcome({ status: 200, headers });
    expect(o.headers).toEqual({ 'x-a': 'a', 'x-n': '0', 'x-b': 'false', 'x-list': 'a, 2, b' });
    expect(Object.getPrototypeOf(o.headers)).toBe(Object.prototype);
  });
});
