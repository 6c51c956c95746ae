/**
 * logTo: one line per event, at the right level, with nothing secret in it — through the real
 * steadyFetch against a local server that echoes the key, written by a real Console (line format)
 * and by a pino-shaped logger (object format).
 */
import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { constant, createPolicy, logTo } from '../../src/index.js';
import { instantClock } from '../helpers/doubles.js';
import { type ReplyFn, type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

const KEY = 'sk-log-5f0e9a1c2b3d4e6f7a8b';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const echo =
  (status: number, headers: Record<string, string> = {}): ReplyFn =>
  (req) => ({
    status,
    headers: { 'set-cookie': `s=${KEY}`, ...headers },
    body: { message: `invalid api token ${KEY}`, authorization: req.headers.authorization ?? null },
  });

/** 429 (Retry-After 0), 500, then 401: two retries, a failure, and the breaker opening. */
async function failingCall(logger: Parameters<typeof logTo>[1], options?: Parameters<typeof logTo>[2]) {
  const policy = createPolicy({ clock: instantClock(), retry: { maxAttempts: 5, backoff: constant(0) } });
  const stop = logTo(policy, logger, options);
  server.reply(echo(429, { 'retry-after': '0' }), echo(500), echo(401));
  const f = steadyFetch(policy);
  await f(`${server.url}/v2/chat`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } }).catch(
    () => {},
  );
  return { policy, stop, f };
}

/** A real Console writing to memory: what console.info / console.warn would print. */
function memoryConsole() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  return { logger: new Console({ stdout: out, stderr: err }), text: () => ({ stdout, stderr }) };
}

describe('logTo', () => {
  it('line format: one line per event, warn for retries and the failure, no key anywhere', async () => {
    const c = memoryConsole();
    await failingCall(c.logger);
    const { stdout, stderr } = c.text();
    const warned = stderr.trim().split('\n');
    expect(warned).toHaveLength(4);
    expect(warned[0]).toMatch(
      /^steady: retry 1 in 0 ms after rate-limited \(HTTP 429\): invalid api token \[redacted\] \{/,
    );
    expect(JSON.parse(warned[0]!.slice(warned[0]!.indexOf('{')))).toMatchObject({
      steady: 'retry',
      attempt: 1,
      delayMs: 0,
      action: 'retry',
      reason: 'rate-limited',
      status: 429,
      retryAfterMs: 0,
    });
    expect(warned[1]).toMatch(/^steady: retry 2 in 0 ms after server-error \(HTTP 500\)/);
    // The breaker opens as the call ends, then the call's failure.
    expect(warned[2]).toMatch(/^steady: circuit open after unauthorized/);
    expect(warned[3]).toMatch(/^steady: failed after 3 attempts: steady: unauthorized \(HTTP 401\)/);
    expect(JSON.parse(warned[3]!.slice(warned[3]!.indexOf('{')))).toMatchObject({
      steady: 'fail',
      attempts: 3,
      reason: 'unauthorized',
      scope: 'account',
      errorName: 'FatalError',
      errorCode: 'ERR_FATAL',
    });
    expect(stdout).toBe('');
    expect(stdout + stderr).not.toContain(KEY);
  });

  it('object format: fields and message as pino takes them; info for success; stop() ends it', async () => {
    const calls: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
    const pinoLike = {
      level: 'info',
      child: () => pinoLike,
      info: (fields: Record<string, unknown>, msg: string) => calls.push({ level: 'info', fields, msg }),
      warn: (fields: Record<string, unknown>, msg: string) => calls.push({ level: 'warn', fields, msg }),
    };
    const policy = createPolicy({ clock: instantClock(), retry: { backoff: constant(0) } });
    const stop = logTo(policy, pinoLike);
    server.reply({ status: 503, body: { message: 'busy' } });
    await steadyFetch(policy)(`${server.url}/v2/chat`);
    expect(calls.map((c) => [c.level, c.fields.steady])).toEqual([
      ['warn', 'retry'],
      ['info', 'success'],
    ]);
    expect(calls[1]).toMatchObject({ fields: { attempts: 2 }, msg: 'steady: ok after 2 attempts' });
    stop();
    await steadyFetch(policy)(`${server.url}/v2/chat`);
    expect(calls).toHaveLength(2);
  });

  it('logs the attempts too when asked, to debug', async () => {
    const lines: string[] = [];
    const logger = { info: () => {}, warn: () => {}, debug: (l: string) => lines.push(l) };
    const policy = createPolicy({ retry: { backoff: constant(0) } });
    logTo(policy, logger, { events: ['attempt'], format: 'line' });
    await policy.run(() => 'x');
    expect(lines).toEqual(['steady: attempt 1 {"steady":"attempt","attempt":1}']);
  });

  it('a logger that throws never breaks the call', async () => {
    const policy = createPolicy({ retry: { backoff: constant(0) } });
    logTo(policy, {
      info: () => {
        throw new Error('disk full');
      },
      warn: () => {
        throw new Error('disk full');
      },
    });
    let n = 0;
    await expect(policy.run(() => (++n === 1 ? Promise.reject({ status: 503 }) : 'ok'))).resolves.toBe('ok');
  });

  it('rejects a bad logger, a misspelt option and an unknown event, naming them', () => {
    const policy = createPolicy();
    expect(() => logTo(policy, {} as never)).toThrow('needs a logger with info() and warn()');
    expect(() => logTo(policy, console, { fromat: 'line' } as never)).toThrow(
      /fromat is not an option of logTo; did you mean format\?/,
    );
    expect(() => logTo(policy, console, { events: ['retyr'] } as never)).toThrow(
      /events\[0\] must be one of .*did you mean 'retry'\?/,
    );
    expect(() => logTo({} as never, console)).toThrow('needs a policy');
  });

  it('names what is missing, exactly: no policy, no logger, a logger without info or warn, options not an object', () => {
    const policy = createPolicy();
    const noPolicy = 'steady: logTo(policy, logger) needs a policy from createPolicy()';
    const noLogger = 'steady: logTo(policy, logger) needs a logger with info() and warn() (console, pino, …)';
    expect(() => logTo(undefined as never, console)).toThrow(new TypeError(noPolicy));
    expect(() => logTo(policy, undefined as never)).toThrow(new TypeError(noLogger));
    expect(() => logTo(policy, { info: () => {} } as never)).toThrow(new TypeError(noLogger));
    expect(() => logTo(policy, { warn: () => {} } as never)).toThrow(new TypeError(noLogger));
    expect(() => logTo(policy, console, 'line' as never)).toThrow(
      new TypeError("steady: logTo options must be an object, got 'line'"),
    );
    expect(() => logTo(policy, console, { fromat: 'line' } as never)).toThrow(
      new TypeError('steady: fromat is not an option of logTo; did you mean format?'),
    );
  });

  it('writes objects to a logger with child() and a string level, one text line to any other', async () => {
    const seen: unknown[][] = [];
    const logger = (extra: object) => ({ info: (...a: unknown[]) => seen.push(a), warn: () => {}, ...extra });
    for (const extra of [
      { child: () => ({}), level: 'info' }, // pino, bunyan
      { child: () => ({}), level: 30 }, // a child() but no string level
      { level: 'info' }, // a level but no child()
      { child: () => ({}), level: 'info', format: 'line' }, // pino, told to write lines
    ]) {
      const { format, ...rest } = extra as { format?: 'line' };
      const policy = createPolicy({ clock: instantClock() });
      logTo(policy, logger(rest), format ? { format } : {});
      await policy.run(() => 'ok');
    }
    const fields = { steady: 'success', attempts: 1, elapsedMs: 0 };
    expect(seen).toEqual([
      [fields, 'steady: ok after 1 attempt'],
      ['steady: ok after 1 attempt {"steady":"success","attempts":1,"elapsedMs":0}'],
      ['steady: ok after 1 attempt {"steady":"success","attempts":1,"elapsedMs":0}'],
      ['steady: ok after 1 attempt {"steady":"success","attempts":1,"elapsedMs":0}'],
    ]);
  });

  it('leaves the attempts out by default, even for a logger with debug()', async () => {
    const lines: string[] = [];
    const logger = {
      info: (l: string) => lines.push(l),
      warn: () => {},
      debug: (l: string) => lines.push(l),
    };
    const policy = createPolicy({ clock: instantClock() });
    logTo(policy, logger);
    await policy.run(() => 'x');
    expect(lines).toEqual(['steady: ok after 1 attempt {"steady":"success","attempts":1,"elapsedMs":0}']);
  });
});
