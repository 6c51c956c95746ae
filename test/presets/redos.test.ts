import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import type { Outcome } from '../../src/classify/outcome.js';
import { parseRetryAfter, parseRetryAfterText } from '../../src/classify/retry-after.js';
import { anthropicRules } from '../../src/presets/anthropic/rules.js';
import { cohereRules } from '../../src/presets/cohere/rules.js';
import { httpRules } from '../../src/presets/http.js';
import { openaiRules } from '../../src/presets/openai/rules.js';

/*
 * Every rule and parser against 100 KB hostile strings. A catastrophic (super-linear) regex would
 * hang here and the test would time out; linear ones finish in milliseconds. No wall-clock asserts.
 */
const HOSTILE = [
  'a'.repeat(1e5),
  `${' '.repeat(1e5)}!`,
  'too many '.repeat(12_000),
  'tokens '.repeat(15_000),
  'calls per '.repeat(1e4),
  'per '.repeat(25_000),
  'stream '.repeat(15_000),
  'try again in '.repeat(8_000),
  'wait 1'.repeat(17_000),
  '1'.repeat(1e5),
  '<'.repeat(1e5),
  '<a'.repeat(5e4),
  `{"message":"${'\\"'.repeat(5e4)}`,
  '1h'.repeat(5e4),
  'token rate '.repeat(1e4),
  'maximum context '.repeat(7_000),
  'requests per '.repeat(8_000),
  'spend '.repeat(17_000),
  '2025-01-01t00:00:00'.repeat(6_000),
  '"a";r=0;t=1,'.repeat(9_000),
  `${'\t\n '.repeat(34_000)}x`,
];
const STATUSES = [undefined, 400, 401, 402, 404, 413, 422, 429, 499, 500, 503];

describe('linear-time rules and parsers', () => {
  it('every rule finishes on every hostile message, and what it decides still follows the status', () => {
    for (const message of HOSTILE) {
      expect(message.length).toBeGreaterThanOrEqual(1e5);
      for (const status of STATUSES) {
        const outcome: Outcome = { status, message, code: message, name: message, headers: {}, source: null };
        const body = { type: 'error', error: { type: message, code: message, message } };
        for (const rule of [...cohereRules, ...openaiRules, ...anthropicRules, ...httpRules]) {
          const v = rule({ ...outcome, body });
          if (v !== undefined) expect(['ok', 'retry', 'fail']).toContain(v.action);
        }
        // Whatever the text, a 429 is a retry and a 5xx a server error.
        const decided = classify({ status, body: message }, cohereRules, 0);
        if (status === 429) expect(decided).toMatchObject({ action: 'retry', reason: 'rate-limited' });
        if (status === 500 || status === 503)
          expect(decided).toMatchObject({ action: 'retry', reason: 'server-error' });
      }
    }
  });

  it('extraction, classification and hint parsing finish on every hostile input', () => {
    for (const s of HOSTILE) {
      expect(
        classify(
          { status: 429, body: s, headers: { 'retry-after': s, 'x-ratelimit-reset': s } },
          cohereRules,
          0,
        ),
      ).toMatchObject({ action: 'retry' });
      // None of them names a wait.
      expect(parseRetryAfterText(s)).toBeUndefined();
      expect(parseRetryAfter({ 'retry-after': s, 'x-ratelimit-reset-tokens': s }, 0)).toBeUndefined();
      const resets = { ratelimit: s, 'anthropic-ratelimit-tokens-reset': s, 'ratelimit-reset': s };
      expect(parseRetryAfter(resets, 0)).toBeUndefined();
    }
  });

  it('still finds a real hint beside 100 KB of noise, when it comes first', () => {
    const noise = 'a'.repeat(1e5);
    expect(parseRetryAfterText(`Please try again in 20s. ${noise}`)).toBe(20_000);
    expect(parseRetryAfterText(`wait 1.5 seconds ${'wait '.repeat(2e4)}`)).toBe(1_500);
    // Only the first 10,000 characters are read: a hint buried after them is not looked for.
    expect(parseRetryAfterText(`${noise} try again in 20s`)).toBeUndefined();
  });
});
