/**
 * The issue-8 table, re-measured: each real client (cohere-ai, openai, @anthropic-ai/sdk under
 * wrapClient; the AI SDK over steadyFetch) × each scenario, against the emulator speaking its
 * wire format: the requests the server saw, and what the caller got. maxAttempts 4 everywhere; the
 * SDKs are constructed with maxRetries 5 and called with maxRetries 3, which steady overrides.
 *
 *   npx tsx bench/sdk-clients.ts        (or npm run bench -- sdk-clients)
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, type LanguageModel, streamText } from 'ai';
import { steadyFetch } from '../src/adapters/fetch/index.js';
import { constant } from '../src/backoff/index.js';
import { isSteadyError } from '../src/errors/index.js';
import { createPolicy } from '../src/policy/policy.js';
import { anthropic } from '../src/presets/anthropic/index.js';
import { openai } from '../src/presets/openai/index.js';
import { type ScriptedFault, startEmulator } from '../src/sim/emulator/index.js';
import { CASES, type ClientCase, KEY } from '../test/adapters/sdk-clients.js';
import { startProviderServer } from '../test/classify/provider-servers.js';

const aiCase = (
  name: string,
  base: ClientCase,
  model: (url: string, f: typeof fetch) => LanguageModel,
): ClientCase => ({
  ...base,
  name,
  make(url, policy) {
    const m = model(url, steadyFetch(policy));
    return {
      chat: (signal) =>
        generateText({ model: m, prompt: 'hi', maxOutputTokens: 50, ...(signal && { abortSignal: signal }) }),
      async stream() {
        const r = streamText({ model: m, prompt: 'hi', maxOutputTokens: 100, onError: () => {} });
        let n = 0;
        for await (const part of r.fullStream) {
          if (part.type === 'text-delta') n++;
          if (part.type === 'error') throw part.error;
        }
        return n;
      },
    };
  },
});
const ALL: ClientCase[] = [
  ...CASES.map((c) => ({ ...c, name: `wrapClient(${c.name})` })),
  aiCase('AI SDK (@ai-sdk/openai), fetch: steadyFetch', CASES[1]!, (url, f) =>
    createOpenAI({ apiKey: KEY, baseURL: `${url}/v1`, fetch: f }).chat('gpt-4o'),
  ),
  aiCase('AI SDK (@ai-sdk/anthropic), fetch: steadyFetch', CASES[2]!, (url, f) =>
    createAnthropic({ apiKey: KEY, baseURL: `${url}/v1`, fetch: f })('claude-test'),
  ),
];

function got(err: unknown): string {
  const e = (err as { name?: string })?.name === 'AI_APICallError' ? (err as { cause?: unknown }).cause : err;
  if (!isSteadyError(e)) return (e as { name?: string })?.name ?? String(e);
  const v = e.verdict;
  const reason = v && v.action !== 'ok' ? ` ${v.action}/${v.reason}` : '';
  const chunks =
    'chunksDelivered' in e
      ? `, ${String((e as { chunksDelivered: number }).chunksDelivered)} events delivered`
      : '';
  return `${e.name}${reason}${chunks}`;
}

const hang = await startProviderServer();
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setImmediate(r));
};

const rows: string[][] = [];
for (const c of ALL) {
  const emu = await startEmulator({ provider: c.provider, keys: { [KEY]: 'production' } });
  const policy = (extra: { attemptTimeoutMs?: number; maxAttempts?: number } = {}) =>
    createPolicy({
      ...(c.provider === 'openai' ? openai() : c.provider === 'anthropic' ? anthropic() : c.preset()),
      retry: { maxAttempts: 4, backoff: constant(1), ...extra },
    });
  const row = async (scenario: string, faults: ScriptedFault[], run: () => Promise<unknown>) => {
    emu.reset();
    emu.inject(...faults);
    let outcome: string;
    try {
      const r = await run();
      outcome = typeof r === 'number' ? `resolved, ${r} content events` : 'resolved';
    } catch (err) {
      outcome = got(err);
    }
    rows.push([c.name, scenario, String(emu.stats().requests), outcome]);
  };
  const calls = c.make(emu.url, policy());
  await row(
    `always ${c.busy.status}`,
    Array.from({ length: 20 }, () => c.busy),
    () => calls.chat(),
  );
  await row('caller aborts in flight', [{ delayMs: 60_000 }], async () => {
    const controller = new AbortController();
    const call = calls.chat(controller.signal);
    await until(() => emu.stats().requests === 1);
    const t0 = performance.now();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    try {
      await call;
    } catch (err) {
      throw err === reason ? Object.assign(new Error(), { name: "the caller's own abort reason" }) : err;
    } finally {
      rows.push([c.name, '(abort → rejection)', '', `${(performance.now() - t0).toFixed(1)} ms`]);
    }
  });
  {
    const before = hang.count('head-only');
    const closedBefore = hang.closed('head-only');
    let outcome: string;
    try {
      await c.make(`${hang.url}/head-only`, policy({ attemptTimeoutMs: 100, maxAttempts: 2 })).chat();
      outcome = 'resolved';
    } catch (err) {
      outcome = got(err);
    }
    await new Promise((r) => setTimeout(r, 50));
    const closed = hang.closed('head-only') - closedBefore;
    rows.push([
      c.name,
      'attemptTimeoutMs 100, maxAttempts 2, server never answers',
      String(hang.count('head-only') - before),
      `${outcome}; ${closed} requests closed by the client`,
    ]);
  }
  await row('stream: drop before first content', [{ streamFailAfter: 0, mode: 'destroy' }], () =>
    calls.stream(),
  );
  await row('stream: drop after 2 contents', [{ streamFailAfter: 2, mode: 'destroy' }], () => calls.stream());
  await row('stream: in-band error before content', [{ streamFailAfter: 0, mode: 'event' }], () =>
    calls.stream(),
  );
  if (c.provider !== 'cohere')
    await row(
      'stream: in-band invalid_request_error before content',
      [{ streamFailAfter: 0, mode: 'event', errorType: 'invalid_request_error' }],
      () => calls.stream(),
    );
  await row('stream: in-band error after 2 contents', [{ streamFailAfter: 2, mode: 'event' }], () =>
    calls.stream(),
  );
  await row('stream: ends without its terminator', [{ streamEndEarly: 2 }], () => calls.stream());
  await row('ECONNRESET once', ['reset'], () => calls.chat());
  await emu.close();
}
await hang.close();

console.log('maxAttempts 4 everywhere; SDK clients built with maxRetries 5, called with maxRetries 3.\n');
console.log('| client | scenario | requests at the server | what the caller got |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
process.exit(0);
