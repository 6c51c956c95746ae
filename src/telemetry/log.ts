import type { Verdict } from '../classify/verdict.js';
import { EVENT_NAMES, type PolicyEventName, type PolicyEvents } from '../hooks/events.js';
import { describe } from '../policy/outcomes.js';
import type { Policy } from '../policy/policy.js';
import { arrayOf, checkShape, oneOf, type Shape } from '../validate.js';

/** What `logTo` needs of a logger: console, pino, bunyan, winston and most others have it. */
export interface LineLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  debug?(...args: unknown[]): void;
}

export interface LogOptions {
  /**
   * `object`: `logger.info(fields, message)`, the pino / bunyan convention, one JSON line there.
   * `line`: `logger.info('message {"json":"fields"}')`, one line of text for console-like loggers.
   * @default 'object' for a logger with `child()` and a string `level` (pino, bunyan), else 'line'
   */
  format?: 'object' | 'line';
  /** Which events are logged. `attempt` goes to `debug` (skipped when the logger has none). @default every event but `attempt` */
  events?: readonly PolicyEventName[];
}

/** The fields of one log line: flat, small, and nothing from the raw error but its name, code and message. */
export type LogFields = Record<string, string | number | boolean | undefined>;

const DEFAULT_EVENTS = EVENT_NAMES.filter((e) => e !== 'attempt');

const OPTIONS_SHAPE: Shape = {
  format: oneOf(['object', 'line']),
  events: arrayOf(oneOf(EVENT_NAMES), 'event names'),
};

/**
 * One structured line per policy event, to any pino- or console-like logger: `info` for success,
 * throttle, a breaker closing and a budget recovering; `warn` for retry, fail, a breaker opening and
 * a budget running dry. Returns a function that stops the logging.
 *
 * ```ts
 * logTo(policy, pino());                       // {"steady":"retry","attempt":1,"reason":"rate-limited",…,"msg":"steady: retry …"}
 * logTo(policy, console, { format: 'line' });  // steady: retry 1 in 1200 ms after rate-limited (HTTP 429) {"steady":"retry",…}
 * ```
 *
 * Nothing secret reaches the logger: the fields are built from steady's events, whose errors and
 * verdicts are redacted (see Secrets in the README), and of an error only its name, code and
 * message are taken. A logger that throws never breaks a call.
 */
export function logTo(policy: Policy, logger: LineLogger, options: LogOptions = {}): () => void {
  if (typeof policy?.on !== 'function')
    throw new TypeError('steady: logTo(policy, logger) needs a policy from createPolicy()');
  if (typeof logger?.info !== 'function' || typeof logger.warn !== 'function')
    throw new TypeError(
      'steady: logTo(policy, logger) needs a logger with info() and warn() (console, pino, …)',
    );
  checkShape(options, '', OPTIONS_SHAPE, 'logTo');
  const structured = (options.format ?? (looksStructured(logger) ? 'object' : 'line')) === 'object';
  const write = (level: 'info' | 'warn' | 'debug', fields: LogFields, message: string) => {
    const fn = logger[level];
    if (typeof fn !== 'function') return;
    if (structured) fn.call(logger, fields, message);
    else fn.call(logger, `${message} ${JSON.stringify(fields)}`);
  };
  const offs = (options.events ?? DEFAULT_EVENTS).map((name) =>
    policy.on(name, (event) => {
      const [level, fields, message] = line(name, event as never);
      write(level, fields, message);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

function looksStructured(logger: LineLogger): boolean {
  const l = logger as { child?: unknown; level?: unknown };
  return typeof l.child === 'function' && typeof l.level === 'string';
}

type Line = ['info' | 'warn' | 'debug', LogFields, string];

function line<E extends PolicyEventName>(name: E, e: PolicyEvents[E]): Line {
  switch (name) {
    case 'attempt': {
      const a = e as PolicyEvents['attempt'];
      return ['debug', { steady: name, attempt: a.attempt }, `steady: attempt ${a.attempt}`];
    }
    case 'retry': {
      const r = e as PolicyEvents['retry'];
      const fields = {
        steady: name,
        attempt: r.attempt,
        delayMs: r.delayMs,
        ...verdictFields(r.verdict),
        ...errorFields(r.error),
      };
      return ['warn', fields, `steady: retry ${r.attempt} in ${r.delayMs} ms after ${describe(r.verdict)}`];
    }
    case 'success': {
      const s = e as PolicyEvents['success'];
      return [
        'info',
        { steady: name, attempts: s.attempts, elapsedMs: s.elapsedMs },
        `steady: ok after ${plural(s.attempts, 'attempt')}`,
      ];
    }
    case 'fail': {
      const f = e as PolicyEvents['fail'];
      const fields: LogFields = {
        steady: name,
        attempts: f.attempts,
        elapsedMs: f.elapsedMs,
        ...verdictFields(f.verdict),
        ...errorFields(f.error),
      };
      const why = fields.errorMessage ?? (f.verdict ? describe(f.verdict) : 'failed');
      return ['warn', fields, `steady: failed after ${plural(f.attempts, 'attempt')}: ${why}`];
    }
    case 'throttle': {
      const t = e as PolicyEvents['throttle'];
      const fields = { steady: name, attempt: t.attempt, dimension: t.dimension, waitedMs: t.waitedMs };
      return ['info', fields, `steady: waited ${t.waitedMs} ms for the limiter (${t.dimension})`];
    }
    case 'breaker': {
      const b = e as PolicyEvents['breaker'];
      const fields = { steady: name, state: b.state, ...verdictFields(b.verdict) };
      return [
        b.state === 'open' ? 'warn' : 'info',
        fields,
        `steady: circuit ${b.state}${b.verdict ? ` after ${describe(b.verdict)}` : ''}`,
      ];
    }
    default: {
      const g = e as PolicyEvents['budget'];
      const fields = { steady: 'budget', state: g.state, tokens: g.tokens, maxTokens: g.maxTokens };
      return [
        g.state === 'exhausted' ? 'warn' : 'info',
        fields,
        `steady: retry budget ${g.state} (${g.tokens} of ${g.maxTokens} tokens)`,
      ];
    }
  }
}

function verdictFields(v: Verdict | undefined): LogFields {
  if (!v) return {};
  const out: LogFields = { action: v.action };
  if (v.action !== 'ok') out.reason = v.reason;
  if (v.status !== undefined) out.status = v.status;
  if (v.action === 'retry' && v.retryAfterMs !== undefined) out.retryAfterMs = v.retryAfterMs;
  if (v.action === 'fail') out.scope = v.scope;
  return out;
}

/** Of an error, only what says what it was: never its options, request or response. */
function errorFields(error: unknown): LogFields {
  if (error === null || typeof error !== 'object')
    return error === undefined ? {} : { errorMessage: String(error).slice(0, 500) };
  const read = (k: string): unknown => {
    try {
      return (error as Record<string, unknown>)[k];
    } catch {
      return undefined;
    }
  };
  const out: LogFields = {};
  const name = read('name');
  const code = read('code');
  const message = read('message');
  if (typeof name === 'string') out.errorName = name;
  if (typeof code === 'string' || typeof code === 'number') out.errorCode = code;
  if (typeof message === 'string') out.errorMessage = message.slice(0, 500);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
