import { describe, expect, it, vi } from 'vitest';
import { redaction } from '../../src/errors/redact.js';

const MAX_KEYS = 1_000;
const MAX_TEXT = 65_536;
const CUT = '…[truncated]';

/** A headers object claiming `size` own keys, counting listings and per-name reads. */
function countedHeaders(size: number) {
  const reads = { listed: 0, names: 0 };
  const names = Array.from({ length: size }, (_, i) => (i === 3 ? 'x-api-key' : `x-h${i}`));
  const proxy = new Proxy({} as Record<string, string>, {
    ownKeys() {
      reads.listed++;
      return names;
    },
    getOwnPropertyDescriptor(_t, k) {
      reads.names++;
      const value = k === 'x-api-key' ? 'sk-live-secret-123' : 'v';
      return { value, enumerable: true, configurable: true, writable: true };
    },
    get(_t, k) {
      reads.names++;
      return k === 'x-api-key' ? 'sk-live-secret-123' : 'v';
    },
  });
  return { proxy, reads };
}

/** A Map whose iteration counts the entries it hands out. */
class CountedMap<K, V> extends Map<K, V> {
  visited = 0;
  override *entries(): MapIterator<[K, V]> {
    for (const e of super.entries()) {
      this.visited++;
      yield e;
    }
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

describe('the redacted copy does bounded work', () => {
  it('reads at most 1,000 names of a 10⁶-key headers object, listing it once', () => {
    const { proxy, reads } = countedHeaders(1_000_000);
    const { value } = redaction({ status: 503, response: { status: 503, headers: proxy } });
    const headers = (value as { response: { headers: Record<string, string> } }).response.headers;
    expect(Object.keys(headers)).toHaveLength(MAX_KEYS);
    expect(headers['x-api-key']).toBe('[redacted]');
    expect(reads.listed).toBe(1);
    expect(reads.names).toBeLessThanOrEqual(2 * MAX_KEYS);
  });

  it('visits at most 1,000 entries of a Map of 10⁵', () => {
    const map = new CountedMap<string, string>();
    for (let i = 0; i < 100_000; i++) map.set(`k${i}`, 'v');
    const { value } = redaction({ status: 503, headers: map });
    expect((value as { headers: Map<string, string> }).headers.size).toBe(MAX_KEYS);
    expect(map.visited).toBeLessThanOrEqual(2 * MAX_KEYS); // read once for secrets, once for the copy
  });

  it('keeps 64 KiB of a 200 MB body, scrubbed, and no part of a secret cut at its end', () => {
    const secret = 'sk-live-0123456789abcdef';
    const headers = { authorization: `Bearer ${secret}` };
    const bytes = Buffer.alloc(200 * 2 ** 20, 'y');
    bytes.write(`${'x'.repeat(MAX_TEXT - 10)}${secret}`, 0, 'latin1');
    const text = bytes.toString('latin1'); // one flat string, as a client's body is
    const listings = vi.spyOn(Reflect, 'ownKeys');
    const { value } = redaction({
      status: 503,
      config: { headers },
      response: { body: text, rawBody: bytes },
    });
    const listed = listings.mock.calls.filter(([x]) => x === bytes).length;
    listings.mockRestore();
    expect(listed).toBe(0); // its 2×10⁸ indices are never listed
    const { body, rawBody } = (value as { response: { body: string; rawBody: Buffer } }).response;
    expect(body).toHaveLength(MAX_TEXT + CUT.length);
    expect(body.endsWith(CUT)).toBe(true);
    expect(body).not.toContain(secret.slice(0, 8));
    expect(Buffer.isBuffer(rawBody)).toBe(true);
    expect(rawBody.byteLength).toBeLessThanOrEqual(MAX_TEXT * 3 + CUT.length * 3);
    expect(rawBody.toString()).not.toContain(secret.slice(0, 8));
    expect(rawBody.toString().endsWith(CUT)).toBe(true);
  });

  it('keeps a short body whole, and the same bytes when they hold no secret', () => {
    const rawBody = Buffer.from('{"error":"busy"}');
    const { value } = redaction({ status: 503, response: { body: 'busy', rawBody } });
    const copy = (value as { response: { body: string; rawBody: Buffer } }).response;
    expect(copy.body).toBe('busy');
    expect(copy.rawBody).toBe(rawBody);
  });
});
