import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local server speaking OpenAI's and Anthropic's wire formats, for the tests that classify what
 * the real SDKs throw. The first path segment names the scenario (the SDKs append their own
 * paths: `/chat/completions`, `/v1/messages`): pass `${server.url}/<scenario>` as `baseURL`.
 */
export interface ProviderServer {
  url: string;
  /** Requests received, by scenario. */
  count(scenario: string): number;
  /** Requests whose connection the client closed before the answer was sent, by scenario. */
  closed(scenario: string): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const sse = (res: ServerResponse, frames: string[]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const f of frames) res.write(f);
  res.end();
};

const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const openaiError = (type: string | null, code: string | null, message: string) => ({
  error: { message, type, param: null, code },
});

const MESSAGE_START = `event: message_start\ndata: ${JSON.stringify({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [],
    stop_reason: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
})}\n\n`;

/**
 * A list of five items, two a page, as both SDKs page it: OpenAI's cursor (`after`, `has_more`) and
 * Anthropic's (`after_id`, `has_more`, `last_id`). The first request for each later page answers
 * 503 once, so a next page retried by the policy shows.
 */
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5'];
const failedPages = new Set<string>();
const pages: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const after = url.searchParams.get('after') ?? url.searchParams.get('after_id');
  const from = after ? ITEMS.indexOf(after) + 1 : 0;
  if (after && !failedPages.has(after)) {
    failedPages.add(after);
    return json(res, 503, openaiError('server_error', null, 'try again'), { 'retry-after-ms': '1' });
  }
  const data = ITEMS.slice(from, from + 2).map((id) => ({ id, object: 'batch', type: 'model' }));
  json(res, 200, {
    object: 'list',
    data,
    has_more: from + 2 < ITEMS.length,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  });
};

const SCENARIOS: Readonly<Record<string, Handler>> = {
  pages,
  hang: () => {},
  'head-only': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  },
  'anthropic-stream-overloaded': (_req, res) =>
    sse(res, [
      MESSAGE_START,
      `event: error\ndata: ${JSON.stringify(anthropicError('overloaded_error', 'Overloaded'))}\n\n`,
    ]),
  'anthropic-stream-invalid': (_req, res) =>
    sse(res, [
      MESSAGE_START,
      `event: error\ndata: ${JSON.stringify(anthropicError('invalid_request_error', 'bad tool'))}\n\n`,
    ]),
  'openai-stream-error': (_req, res) =>
    sse(res, [`data: ${JSON.stringify(openaiError('server_error', null, 'The server had an error'))}\n\n`]),
  'openai-429': (_req, res) =>
    json(
      res,
      429,
      openaiError(
        'tokens',
        'rate_limit_exceeded',
        'Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 30000.',
      ),
      { 'retry-after': '3', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' },
    ),
  'openai-429-fast': (_req, res) =>
    json(
      res,
      429,
      openaiError('requests', 'rate_limit_exceeded', 'Rate limit reached on requests per min (RPM)'),
      {
        'retry-after-ms': '5',
      },
    ),
  'openai-quota': (_req, res) =>
    json(
      res,
      429,
      openaiError('insufficient_quota', 'insufficient_quota', 'You exceeded your current quota'),
      {
        'retry-after-ms': '1',
      },
    ),
  'anthropic-529': (_req, res) =>
    json(res, 529, anthropicError('overloaded_error', 'Overloaded'), { 'retry-after-ms': '1' }),
  reset: (req) => {
    req.socket.destroy();
  },
  'always-429': (_req, res) =>
    json(
      res,
      429,
      openaiError('requests', 'rate_limit_exceeded', 'Rate limit reached on requests per min (RPM)'),
      {
        'retry-after-ms': '1',
      },
    ),
  'openai-both-exhausted': (_req, res) =>
    json(
      res,
      429,
      openaiError('tokens', 'rate_limit_exceeded', 'Rate limit reached on tokens per min (TPM)'),
      {
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': '6m0s',
      },
    ),
  'anthropic-reset-3s': (_req, res) =>
    json(
      res,
      429,
      anthropicError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
      {
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 3_000).toISOString(),
      },
    ),
  'echo-400': (req, res) => json(res, 400, { message: `invalid key: ${req.headers.authorization}` }),
  'head-400-hang': (_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.write('{"message":"too many tokens');
  },
  'cohere-tokens-400': (_req, res) =>
    json(res, 400, { message: 'too many tokens: size limit exceeded by 280 tokens.' }),
  'no-retry-500': (_req, res) =>
    json(res, 500, openaiError('server_error', null, 'do not retry this'), { 'x-should-retry': 'false' }),
  'retry-409': (_req, res) =>
    json(res, 409, openaiError(null, null, 'conflict'), { 'x-should-retry': 'true', 'retry-after-ms': '1' }),
};

export async function startProviderServer(): Promise<ProviderServer> {
  const counts = new Map<string, number>();
  const closed = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const scenario = (req.url ?? '/').split('/')[1] ?? '';
      counts.set(scenario, (counts.get(scenario) ?? 0) + 1);
      res.once('close', () => {
        if (!res.writableFinished) closed.set(scenario, (closed.get(scenario) ?? 0) + 1);
      });
      const handler = SCENARIOS[scenario];
      if (handler) handler(req, res);
      else json(res, 404, { message: `no scenario ${scenario}` });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (scenario) => counts.get(scenario) ?? 0,
    closed: (scenario) => closed.get(scenario) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        failedPages.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
