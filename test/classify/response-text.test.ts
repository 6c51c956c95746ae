import { describe, expect, it, vi } from 'vitest';
import { toOutcome } from '../../src/classify/extract.js';
import { readCapped } from '../../src/classify/read-capped.js';
import { readErrorBody, responseText, unreadResponse } from '../../src/classify/response-text.js';
import { testClock } from '../../src/testing.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** A body of these chunks; `open` leaves it unended. Records whether it was cancelled. */
function body(chunks: (string | Uint8Array)[], opts: { open?: boolean; fail?: boolean } = {}) {
  const seen = { cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const x = chunks[i++];
      if (x !== undefined) c.enqueue(typeof x === 'string' ? bytes(x) : x);
      else if (opts.fail) c.error(new Error('socket hang up'));
      else if (!opts.open) c.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe('readCapped', () => {
  it('reads a body under the cap whole, without cancelling it', async () => {
    const { stream, seen } = body(['abc', 'def', 'ghi']);
    expect(await readCapped(new Response(stream), 10)).toBe('abcdefghi');
    expect(seen.cancelled).toBe(false);
  });

  it('stops at the cap, mid-chunk, and cancels the rest', async () => {
    const { stream, seen } = body(['abc', 'def', 'ghi']);
    expect(await readCapped(new Response(stream), 5)).toBe('abcde');
    expect(seen.cancelled).toBe(true);
  });

  it('reads nothing with a cap of 0', async () => {
    const { stream, seen } = body(['abc']);
    expect(await readCapped(new Response(stream), 0)).toBe('');
    expect(seen.cancelled).toBe(true);
  });

  it('decodes a character split across chunks', async () => {
    const e = bytes('é'); // c3 a9
    const { stream } = body([bytes('caf'), e.slice(0, 1), e.slice(1)]);
    expect(await readCapped(new Response(stream), 100)).toBe('café');
  });

  it('gives what arrived before the body broke off', async () => {
    const { stream } = body(['ab', 'cd'], { fail: true });
    expect(await readCapped(new Response(stream), 100)).toBe('abcd');
  });

  it("gives '' for no body and for a body already being read", async () => {
    expect(await readCapped(new Response(null), 100)).toBe('');
    const res = new Response('text');
    res.body!.getReader();
    expect(await readCapped(res, 100)).toBe('');
    // Even with a signal already aborted: there is no reader to cancel.
    const locked = new Response('text');
    locked.body!.getReader();
    expect(await readCapped(locked, 100, AbortSignal.abort())).toBe('');
  });

  it('stops when the signal aborts, with what arrived, and cancels the stream', async () => {
    const { stream, seen } = body(['ab'], { open: true });
    const ac = new AbortController();
    const text = readCapped(new Response(stream), 100, ac.signal);
    await new Promise((r) => setImmediate(r));
    ac.abort();
    expect(await text).toBe('ab');
    expect(seen.cancelled).toBe(true);
  });

  it('reads nothing when the signal was already aborted, and leaves no listener', async () => {
    const { stream, seen } = body(['ab'], { open: true });
    const ac = new AbortController();
    ac.abort();
    const remove = vi.spyOn(ac.signal, 'removeEventListener');
    expect(await readCapped(new Response(stream), 100, ac.signal)).toBe('');
    expect(seen.cancelled).toBe(true);
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});

describe('readErrorBody / responseText', () => {
  const clock = () => testClock(1_000);
  const httpError = (res: Response, extra: Record<string, unknown> = {}) => ({
    name: 'HTTPError',
    message: 'Request failed with status code 400',
    response: res,
    ...extra,
  });

  it("reads the start of an unread error Response from a clone: the message counts, the caller's copy stays unread", async () => {
    const error = httpError(new Response('{"message":"too many tokens"}', { status: 400 }));
    expect(toOutcome(error).message).toBeUndefined();
    const c = clock();
    await readErrorBody(error, 1_000, c, undefined, 5_000);
    expect(responseText(error.response)).toBe('{"message":"too many tokens"}');
    expect(toOutcome(error)).toMatchObject({ status: 400, message: 'too many tokens' });
    expect(error.response.bodyUsed).toBe(false);
    expect(await error.response.json()).toEqual({ message: 'too many tokens' });
    expect(c.pending).toBe(0); // its timer cleared
  });

  it('reads at most maxBytes', async () => {
    const error = httpError(new Response('abcdef', { status: 500 }));
    await readErrorBody(error, 3, clock(), undefined, 5_000);
    expect(responseText(error.response)).toBe('abc');
  });

  it('stops after timeoutMs on the clock, keeping what arrived', async () => {
    const { stream } = body(['partial '], { open: true });
    const error = httpError(new Response(stream, { status: 502 }));
    const c = clock();
    let done = false;
    const p = readErrorBody(error, 1_000, c, undefined, 50).then(() => (done = true));
    await c.tickAsync(49);
    expect(done).toBe(false);
    await c.tickAsync(1);
    await p;
    expect(responseText(error.response)).toBe('partial ');
  });

  it('stops at once for a negative timeout, and sets no timer for an infinite one', async () => {
    const a = httpError(new Response(body(['x'], { open: true }).stream, { status: 500 }));
    const c = clock();
    const p = readErrorBody(a, 1_000, c, undefined, -5);
    await c.tickAsync(0);
    await p;
    expect(responseText(a.response)).toBe('x');

    const b = httpError(new Response('whole', { status: 500 }));
    const c2 = clock();
    const setTimeout = vi.spyOn(c2, 'setTimeout');
    const clearTimeout = vi.spyOn(c2, 'clearTimeout');
    await readErrorBody(b, 1_000, c2, undefined, Number.POSITIVE_INFINITY);
    expect(setTimeout).not.toHaveBeenCalled();
    expect(clearTimeout).not.toHaveBeenCalled(); // no handle it never gave
    expect(responseText(b.response)).toBe('whole');
  });

  it("stops when the caller's signal aborts (or already had), and removes its listener", async () => {
    const error = httpError(new Response(body(['so far'], { open: true }).stream, { status: 500 }));
    const ac = new AbortController();
    const remove = vi.spyOn(ac.signal, 'removeEventListener');
    const p = readErrorBody(error, 1_000, clock(), ac.signal, 5_000);
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await p;
    expect(responseText(error.response)).toBe('so far');
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));

    const late = httpError(new Response(body(['never'], { open: true }).stream, { status: 500 }));
    const gone = new AbortController();
    gone.abort();
    await readErrorBody(late, 1_000, clock(), gone.signal, 5_000);
    expect(responseText(late.response)).toBe('');
  });

  it('leaves alone what has no unread non-2xx Response, or carries its body already', async () => {
    const used = new Response('x', { status: 500 });
    await used.text();
    const cases = [
      { response: new Response('fine', { status: 200 }) },
      { response: used },
      { response: new Response(null, { status: 500 }) },
      { response: { status: 500, body: 'not a fetch Response' } },
      httpError(new Response('x', { status: 500 }), { body: 'its own copy' }),
      httpError(new Response('x', { status: 500 }), { data: { message: 'its own copy' } }),
      'a string',
      null,
    ];
    for (const error of cases) {
      expect(unreadResponse(error)).toBeUndefined();
      await readErrorBody(error, 1_000, clock(), undefined, 5_000);
    }
    expect(responseText((cases[0] as { response: Response }).response)).toBeUndefined();
    expect(responseText('x')).toBeUndefined();
  });

  it('reads a Response once: afterwards it is no longer unread', async () => {
    const error = httpError(new Response('once', { status: 429 }));
    expect(unreadResponse(error)).toBe(error.response);
    await readErrorBody(error, 1_000, clock(), undefined, 5_000);
    expect(unreadResponse(error)).toBeUndefined();
  });

  it('gives up quietly when the Response cannot be cloned', async () => {
    const res = new Response('x', { status: 500 });
    const error = httpError(res);
    vi.spyOn(res, 'clone').mockImplementation(() => {
      throw new TypeError('Response.clone: Body has already been consumed.');
    });
    await expect(readErrorBody(error, 1_000, clock(), undefined, 5_000)).resolves.toBeUndefined();
    expect(responseText(res)).toBeUndefined();
  });
});
