import { existsSync, readFileSync } from 'node:fs';
import { CohereError } from 'cohere-ai';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { cohere } from '../../src/presets/cohere/index.js';

/*
 * Cohere's own catalogue, parsed at test time: every example message under every status must get
 * the expected verdict, whether it arrives as a JSON body, a text body or a cohere-ai CohereError.
 * The shared reference beside the repo (../shared) is the ground truth when it is there; a clone on
 * its own uses the copy in test/fixtures, which a test below keeps identical to it.
 */
const SHARED = new URL('../../../shared/reference/cohere-errors.txt', import.meta.url);
const FIXTURE = new URL('../fixtures/cohere-errors.txt', import.meta.url);
const CATALOGUE = existsSync(SHARED) ? SHARED : FIXTURE;
const text = readFileSync(CATALOGUE, 'utf8');

/** Status headings ("429 - Too Many Requests"), then a "message" line, then one message a line. */
function parse(source: string): Array<{ status: number; message: string }> {
  const rows: Array<{ status: number; message: string }> = [];
  let status: number | undefined;
  let inList = false;
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(\d{3}) - /.exec(line);
    if (heading) {
      status = Number(heading[1]);
      inList = false;
    } else if (line === 'message') {
      inList = true;
    } else if (line === '') {
      inList = false;
    } else if (inList && status !== undefined) {
      rows.push({ status, message: line });
    }
  }
  return rows;
}

const rows = parse(text);
const rules = cohere().classifier;

/** 429s name their limit, or do not; each catalogue 429 must be listed here. */
const LIMIT_429: ReadonlyArray<[string, 'calls' | 'tokens' | undefined]> = [
  ['You are past the per minute request limit', 'calls'],
  ['You are using a Trial key, which is limited to 40 API calls / minute', 'calls'],
  ['Please wait and try again later', undefined],
  ['trial token rate limit exceeded', 'tokens'],
];

function expected(status: number, message: string): Record<string, unknown> {
  switch (status) {
    case 400:
      return message.startsWith('too many tokens')
        ? { action: 'fail', reason: 'too-many-tokens', scope: 'request' }
        : { action: 'fail', reason: 'invalid-request', scope: 'request' };
    case 401:
      return { action: 'fail', reason: 'unauthorized', scope: 'account' };
    case 402:
      return message.startsWith('Maximum billing reached')
        ? { action: 'fail', reason: 'quota-exhausted', scope: 'account' }
        : { action: 'fail', reason: 'payment-required', scope: 'account' };
    case 404:
      return { action: 'fail', reason: 'not-found', scope: 'request' };
    case 429: {
      const entry = LIMIT_429.find(([prefix]) => message.startsWith(prefix));
      if (!entry) throw new Error(`catalogue 429 not in LIMIT_429: ${message}`);
      return entry[1] === undefined
        ? { action: 'retry', reason: 'rate-limited' }
        : { action: 'retry', reason: 'rate-limited', limit: entry[1] };
    }
    case 499:
      return message.startsWith('streaming error')
        ? { action: 'retry', reason: 'stream-error' }
        : { action: 'retry', reason: 'cancelled' };
    default:
      throw new Error(`status ${status} has no expectation`);
  }
}

describe('the Cohere catalogue', () => {
  it('parses every message: the count matches the file', () => {
    // Counted independently: every line between a "message" line and the next blank line.
    const blocks = text.split(/\r?\nmessage\r?\n/).slice(1);
    const independent = blocks.reduce(
      (n, block) => n + block.split(/\r?\n\r?\n/)[0]!.split(/\r?\n/).length,
      0,
    );
    expect(rows).toHaveLength(independent);
    const perStatus: Record<number, number> = {};
    for (const r of rows) perStatus[r.status] = (perStatus[r.status] ?? 0) + 1;
    expect(perStatus).toEqual({ 400: 57, 401: 3, 402: 2, 404: 10, 429: 4, 499: 4 });
  });

  it('lists every 429 in LIMIT_429 exactly once', () => {
    for (const [prefix] of LIMIT_429) {
      expect(rows.filter((r) => r.status === 429 && r.message.startsWith(prefix))).toHaveLength(1);
    }
  });

  describe.each(rows.map((r) => [r.status, r.message] as const))('%d %s', (status, message) => {
    const want = expected(status, message);
    const check = (x: unknown) => {
      const verdict = classify(x, rules, 0);
      expect(verdict).toMatchObject({ ...want, status, message });
      if (want.limit === undefined) expect(verdict).not.toHaveProperty('limit');
    };

    it('as a JSON body', () => check({ status, body: JSON.stringify({ message }) }));
    it('as a text body', () => check({ status, body: message }));
    it('as a CohereError', () => check(new CohereError({ statusCode: status, body: { message } })));
  });
});

describe('the catalogue copy', () => {
  it.skipIf(!existsSync(SHARED))(
    'test/fixtures/cohere-errors.txt is the shared reference, byte for byte',
    () => {
      expect(readFileSync(FIXTURE, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
    },
  );
});
