/**
 * An embedded Cohere API on 127.0.0.1, close enough to the real one that the `cohere-ai` SDK (v7/v8), a
 * plain fetch, got or axios can be pointed at it: `POST /v2/chat` (JSON and SSE stream), `/v1/chat` (JSON
 * and JSON-lines stream), `/v2/embed`, `/v1/embed`. It enforces per-key calls/min and tokens/min the way
 * the server counts them, answers with the messages of Cohere's error catalogue, and injects failures
 * (scripted with `inject`, or random and seeded with `faults`). `provider: 'openai'` or `'anthropic'`
 * makes it speak OpenAI's chat completions or Anthropic's Messages API instead, with their error
 * bodies, rate-limit headers and streams.
 *
 * @example
 * const emu = await startEmulator({ timeScale: 60 });        // a "minute" lasts 1 s
 * const co = new CohereClientV2({ token: 'test-key', environment: emu.url });
 * emu.inject({ status: 503 });
 * await co.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] }, { maxRetries: 0 });
 * // → throws Cohere.ServiceUnavailableError (statusCode 503)
 * await emu.close();
 *
 * Gotchas: the SDK retries 408/429/5xx twice by default (honouring Retry-After): pass `{ maxRetries: 0 }`
 * when counting requests. Windows, latencies and injected delays are divided by `timeScale`, but
 * `Retry-After` is whole seconds (at least 1), so under a large timeScale it overstates the wait.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createHandler } from './handler.js';
import { resolveOptions } from './options.js';
import { EmulatorState } from './state.js';
import type { Emulator, EmulatorOptions, ScriptedFault } from './types.js';

export { PLANS } from './options.js';
export { CONTEXT_TOKENS, MAX_EMBED_TEXTS, MAX_OUTPUT_TOKENS } from './request.js';
export type {
  Emulator,
  EmulatorOptions,
  EmulatorStats,
  FaultOptions,
  FaultStatus,
  KeyLimits,
  KeyStats,
  LimitAlgorithm,
  Provider,
  ScriptedFault,
} from './types.js';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Starts the emulator. Bad options throw a TypeError or RangeError naming the option. */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const state = new EmulatorState(resolveOptions(options));
  const server = createServer(createHandler(state));
  // Node closes an idle connection after keepAliveTimeout (0: never); headers must not time out first.
  server.keepAliveTimeout = state.options.keepAliveMs;
  if (state.options.keepAliveMs > 0)
    server.headersTimeout = Math.max(server.headersTimeout, state.options.keepAliveMs + 1_000);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, state.options.port);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    windowMs: state.options.windowMs,
    stats: () => state.stats.snapshot(),
    reset: () => state.reset(),
    inject: (...faults: ScriptedFault[]) => state.faults.inject(faults),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.closed = true;
        state.clearTimers();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
