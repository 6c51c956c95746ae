/**
 * One Cohere chat call under an instrumented policy, and the spans it made, printed as a tree: the
 * call's span (`chat command-a-03-2025`, the GenAI conventions' name), a child per attempt, and
 * under each attempt the span of the HTTP request it made. With the emulator, its first answer is a
 * 429, so the tree shows a retry.
 *
 *   npx tsx examples/otel.ts        # the local emulator; COHERE_API_KEY=... for the real API
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
// In your code: `from 'steady'` and `from 'steady/otel'`.
import { cohere, createPolicy } from '../src/index.js';
import { startEmulator } from '../src/sim/emulator/index.js';
import { instrument } from '../src/telemetry/otel/index.js';
import { isEntry, runFromCli } from './lib/cli.js';

interface ChatReply {
  message: { content: { type: string; text: string }[] };
}

const MODEL = 'command-a-03-2025';

/** Sends one chat message; returns the reply text and the tree of the spans the call made. */
export async function main(baseUrl: string, apiKey: string): Promise<string> {
  // What NodeSDK sets up for you: a context manager and a tracer provider (here, spans kept in memory).
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const policy = createPolicy({ ...cohere({ plan: 'trial' }), retry: { maxAttempts: 6 } });
  const otel = instrument(policy, { tracerProvider });
  // Stands in for an HTTP instrumentation (such as @opentelemetry/instrumentation-undici): a span
  // per request, started under whatever span is active.
  const http = tracerProvider.getTracer('http');
  try {
    const request = { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 };
    const reply = await policy.run(
      ({ signal }) =>
        http.startActiveSpan('POST /v2/chat', async (span) => {
          try {
            const res = await fetch(`${baseUrl}/v2/chat`, {
              method: 'POST',
              headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify(request),
              signal,
            });
            span.setAttribute('http.response.status_code', res.status);
            if (!res.ok) throw res; // steady classifies a Response: status, Retry-After, body
            return (await res.json()) as ChatReply;
          } finally {
            span.end();
          }
        }),
      { endpoint: 'chat', model: MODEL, tokens: policy.estimate(request) },
    );
    const text = reply.message.content.map((part) => part.text).join('');
    return `${text}\n\n${printTree(exporter.getFinishedSpans())}`;
  } finally {
    otel.uninstrument();
    await tracerProvider.shutdown();
    context.disable();
  }
}

/** The spans as an indented tree, each with its duration, status and attributes. */
export function printTree(spans: readonly ReadableSpan[]): string {
  const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    const kids = (children.get(parent) ?? []).sort((a, b) => ms(a.startTime) - ms(b.startTime));
    kids.forEach((s, i) => {
      const last = i === kids.length - 1;
      const status = s.status.code === 2 ? `  ERROR ${JSON.stringify(s.status.message ?? '')}` : '';
      const attrs = Object.entries(s.attributes)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const branch = parent === undefined ? '' : last ? '└─ ' : '├─ ';
      lines.push(
        `${indent}${branch}${s.name}  (${(ms(s.endTime) - ms(s.startTime)).toFixed(0)} ms)${status}`,
      );
      const inner = parent === undefined ? '' : `${indent}${last ? '   ' : '│  '}`;
      if (attrs) lines.push(`${inner}${children.has(s.spanContext().spanId) ? '│' : ' '}    ${attrs}`);
      walk(s.spanContext().spanId, inner);
    });
  };
  walk(undefined, '');
  return lines.join('\n');
}

if (isEntry(import.meta.url)) {
  if (!process.env.COHERE_API_KEY && !process.env.COHERE_BASE_URL) {
    const emu = await startEmulator();
    emu.inject({ status: 429, retryAfterSeconds: 1 });
    console.error(
      `COHERE_API_KEY and COHERE_BASE_URL are not set: using the local emulator at ${emu.url}, whose first answer is a 429`,
    );
    try {
      console.log(await main(emu.url, 'test-key'));
    } finally {
      await emu.close();
    }
  } else {
    runFromCli(main);
  }
}
