import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import { cohere } from '../../src/presets/cohere/index.js';
import { cohereRules } from '../../src/presets/cohere/rules.js';
import { DEFAULT_OUTPUT_TOKENS } from '../../src/presets/cohere/usage.js';
import { httpRules } from '../../src/presets/http.js';

describe('cohere()', () => {
  it('trial: 40 calls and 100,000 tokens per minute', () => {
    expect(cohere({ plan: 'trial' }).limits).toEqual({
      calls: { limit: 40, windowMs: 60_000 },
      tokens: { limit: 100_000, windowMs: 60_000 },
    });
  });

  it('production (the default): no limits', () => {
    expect(cohere({ plan: 'production' })).not.toHaveProperty('limits');
    expect(cohere()).not.toHaveProperty('limits');
  });

  it('classifier: the Cohere rules only (the policy applies the generic HTTP rules after them, once)', () => {
    expect(cohere().classifier).toEqual([...cohereRules]);
    expect(cohere().classifier).not.toContain(httpRules[0]);
  });

  it('a miss falls through to the generic HTTP rules: a Cohere-less 503 retries as server-error', () => {
    expect(createPolicy(cohere()).classify({ status: 503 })).toMatchObject({
      action: 'retry',
      reason: 'server-error',
    });
    expect(createPolicy(cohere()).classify({ status: 418 })).toMatchObject({
      action: 'fail',
      reason: 'unclassified',
    });
  });

  it('rejects a bad plan naming the option', () => {
    expect(() => cohere({ plan: 'enterprise' as never })).toThrow(TypeError);
    expect(() => cohere({ plan: 'enterprise' as never })).toThrow(
      "steady: cohere.plan must be one of 'trial', 'production', got 'enterprise'",
    );
    expect(() => cohere(null as never)).toThrow(TypeError);
  });

  it('presets do not share mutable state', () => {
    const a = cohere({ plan: 'trial' });
    expect(Object.isFrozen(a.limits)).toBe(true);
    expect(Object.isFrozen(a.classifier)).toBe(true);
  });
});

describe('cohere().usage', () => {
  const usage = cohere().usage!;

  it('reads v2 usage.billed_units (raw HTTP, snake_case)', () => {
    expect(
      usage({
        usage: { billed_units: { input_tokens: 120, output_tokens: 30 }, tokens: { input_tokens: 999 } },
      }),
    ).toEqual({ tokens: 150 });
  });

  it('reads v2 usage.tokens when there are no billed units', () => {
    expect(usage({ usage: { tokens: { input_tokens: 70, output_tokens: 5 } } })).toEqual({ tokens: 75 });
  });

  it('reads the SDK camelCase shape', () => {
    expect(usage({ usage: { billedUnits: { inputTokens: 11, outputTokens: 4 } } })).toEqual({ tokens: 15 });
    expect(usage({ meta: { billedUnits: { inputTokens: 9 } } })).toEqual({ tokens: 9 });
  });

  it('reads v1 meta.billed_units (chat and embed)', () => {
    expect(usage({ meta: { billed_units: { input_tokens: 40, output_tokens: 2 } } })).toEqual({ tokens: 42 });
    expect(usage({ meta: { billed_units: { input_tokens: 300 } } })).toEqual({ tokens: 300 });
  });

  it("reads a streaming message-end event's delta.usage and a v1 stream-end's response.meta", () => {
    expect(
      usage({
        type: 'message-end',
        delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 5, output_tokens: 6 } } },
      }),
    ).toEqual({ tokens: 11 });
    expect(
      usage({
        event_type: 'stream-end',
        response: { meta: { billed_units: { input_tokens: 1, output_tokens: 2 } } },
      }),
    ).toEqual({ tokens: 3 });
  });

  it('returns undefined when no tokens are reported', () => {
    expect(usage({ meta: { billed_units: { search_units: 1 } } })).toBeUndefined();
    expect(usage({ text: 'hi' })).toBeUndefined();
    expect(usage(null)).toBeUndefined();
    expect(usage({ usage: { billed_units: { input_tokens: -3 } } })).toBeUndefined();
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('x');
        },
      },
    );
    expect(usage(trap)).toBeUndefined();
  });
});

describe('cohere().tokenUsage (for steady/otel)', () => {
  const { tokenUsage, provider } = cohere();
  it('names the provider as the GenAI conventions do', () => {
    expect(provider).toBe('cohere');
  });
  it('reads input and output apart, billed units first', () => {
    const usage = {
      billed_units: { input_tokens: 12, output_tokens: 30 },
      tokens: { input_tokens: 80, output_tokens: 30 },
    };
    expect(tokenUsage!({ usage })).toEqual({ input: 12, output: 30 });
  });
  it('reads the SDK camelCase v1 meta, and an embed that bills input only', () => {
    expect(tokenUsage!({ meta: { billedUnits: { inputTokens: 7, outputTokens: 3 } } })).toEqual({
      input: 7,
      output: 3,
    });
    expect(tokenUsage!({ meta: { billed_units: { input_tokens: 9 } } })).toEqual({ input: 9 });
  });
  it('returns undefined for a result that reports none (rerank bills search units)', () => {
    expect(tokenUsage!({ meta: { billed_units: { search_units: 1 } } })).toBeUndefined();
    expect(tokenUsage!('text')).toBeUndefined();
  });
});

describe('cohere().estimate', () => {
  const estimate = cohere().estimate!;

  it('v2 chat: chars/4 of message contents plus max_tokens', () => {
    const content = 'x'.repeat(400);
    expect(estimate({ model: 'command-a', messages: [{ role: 'user', content }], max_tokens: 50 })).toBe(150);
    expect(estimate({ model: 'command-a', messages: [{ role: 'user', content }], maxTokens: 10 })).toBe(110);
  });

  it('counts content parts, and skips image data', () => {
    const req = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a'.repeat(40) },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } },
            { type: 'text', text: 'b'.repeat(40) },
          ],
        },
      ],
      max_tokens: 0,
    };
    expect(estimate(req)).toBe(20);
  });

  it('adds the default output allowance to a generative request without max_tokens', () => {
    expect(estimate({ messages: [{ role: 'user', content: 'abcd' }] })).toBe(1 + DEFAULT_OUTPUT_TOKENS);
    expect(estimate({ prompt: 'a'.repeat(8) })).toBe(2 + DEFAULT_OUTPUT_TOKENS);
  });

  it('v1 chat: message, chat_history, documents, preamble', () => {
    const req = {
      message: 'a'.repeat(20),
      chat_history: [{ role: 'USER', message: 'b'.repeat(20) }],
      documents: [{ title: 'c'.repeat(20), snippet: 'd'.repeat(20) }, 'e'.repeat(20)],
      preamble: 'f'.repeat(20),
      max_tokens: 100,
    };
    expect(estimate(req)).toBe(130);
  });

  it('embed and rerank: input text only, no output allowance', () => {
    expect(
      estimate({
        texts: ['a'.repeat(10), 'b'.repeat(10)],
        model: 'embed-v4.0',
        input_type: 'search_document',
      }),
    ).toBe(5);
    expect(estimate({ query: 'q'.repeat(8), documents: ['d'.repeat(8)] })).toBe(4);
  });

  it('is an integer of at least 1', () => {
    expect(estimate({})).toBe(1);
    expect(estimate({ texts: ['abc'] })).toBe(1);
    expect(Number.isInteger(estimate({ messages: [{ content: 'x'.repeat(7) }], max_tokens: 1.5 }))).toBe(
      true,
    );
    expect(estimate('a'.repeat(41))).toBe(11);
  });

  it('survives cycles and odd values', () => {
    const msg: Record<string, unknown> = { role: 'user', content: 'abcd' };
    msg.self = msg;
    expect(estimate({ messages: [msg, msg], max_tokens: 0 })).toBe(2);
    expect(estimate(null)).toBeUndefined();
    expect(estimate(42)).toBeUndefined();
    expect(estimate({ messages: [{ content: 'x' }], max_tokens: -5 })).toBe(1 + DEFAULT_OUTPUT_TOKENS);
  });
});
