/**
 * Wrong options, one a row, at every level of every constructor: misspelt names, wrong types,
 * values out of range, non-objects. Each row names the option's full path, which the error must
 * contain. The library is passed in (`Lib`), so the same list can be tried against another build.
 */

/** What the rows construct with. */
export interface Lib {
  createPolicy(options?: unknown): {
    run(fn: () => unknown): Promise<unknown>;
    on(e: unknown, l: unknown): unknown;
  };
  createLimiter(options: unknown): unknown;
  MemoryStore: new (options: unknown) => unknown;
  exponential(options?: unknown): unknown;
  constant(delayMs?: unknown): unknown;
  cohere(options?: unknown): unknown;
  wrapClient(client: object, policy: unknown, options?: unknown): unknown;
  testClock(): {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(h: unknown): void;
  };
}

export interface WrongOption {
  /** What is wrong, as a user would write it. */
  what: string;
  /** The path the error must name. */
  path: string;
  /** Constructs (and, for what only a call can show, runs) with the wrong option; throws or rejects. */
  run(lib: Lib): unknown;
}

const limits = { calls: { limit: 40, windowMs: 60_000 } };
const fn = () => {};
const win = 60_000;
const fail503 = () => Promise.reject(Object.assign(new Error('unavailable'), { status: 503 }));

/** createPolicy with these options. */
const policy = (what: string, path: string, options: unknown): WrongOption => ({
  what,
  path,
  run: (lib) => lib.createPolicy(options),
});

/** A call through a policy whose only rule returns `value`. */
const rule = (what: string, value: unknown): WrongOption => ({
  what,
  path: 'rules[0]',
  run: (lib) =>
    lib
      .createPolicy({ rules: [() => value], clock: lib.testClock(), retry: { maxAttempts: 1 } })
      .run(fail503),
});

/** A call through a policy with this custom limiter. */
const customLimiter = (what: string, acquire: () => unknown): WrongOption => ({
  what,
  path: 'limiter.acquire',
  run: (lib) =>
    lib.createPolicy({ limiter: { acquire, pause: fn }, retry: { maxAttempts: 1 } }).run(async () => 1),
});

export const WRONG_OPTIONS: readonly WrongOption[] = [
  // createPolicy: the options object itself, and its top-level names
  policy('createPolicy(null)', 'createPolicy', null),
  policy('createPolicy(5)', 'createPolicy', 5),
  policy("createPolicy('fast')", 'createPolicy', 'fast'),
  policy('createPolicy([])', 'createPolicy', []),
  policy('retyr', 'retyr', { retyr: {} }),
  policy('Retry', 'Retry', { Retry: {} }),
  policy('limit', 'limit', { limit: limits }),
  policy('breakers', 'breakers', { breakers: {} }),
  policy('hooks', 'hooks', { hooks: {} }),
  policy('classifiers', 'classifiers', { classifiers: [] }),
  policy('rule', 'rule', { rule: [] }),
  // retry
  policy("retry: 'fast'", 'retry', { retry: 'fast' }),
  policy('retry: 5', 'retry', { retry: 5 }),
  policy('retry: null', 'retry', { retry: null }),
  policy('retry: []', 'retry', { retry: [] }),
  policy('retry.maxAttemps', 'retry.maxAttemps', { retry: { maxAttemps: 1 } }),
  policy('retry.maxattempts', 'retry.maxattempts', { retry: { maxattempts: 1 } }),
  policy('retry.attempts', 'retry.attempts', { retry: { attempts: 3 } }),
  policy('retry.retries', 'retry.retries', { retry: { retries: 3 } }),
  policy('retry.maxAttempts: 0', 'retry.maxAttempts', { retry: { maxAttempts: 0 } }),
  policy('retry.maxAttempts: 1.5', 'retry.maxAttempts', { retry: { maxAttempts: 1.5 } }),
  policy("retry.maxAttempts: '3'", 'retry.maxAttempts', { retry: { maxAttempts: '3' } }),
  policy('retry.maxAttempts: NaN', 'retry.maxAttempts', { retry: { maxAttempts: Number.NaN } }),
  policy('retry.maxAttempts: -1', 'retry.maxAttempts', { retry: { maxAttempts: -1 } }),
  policy('retry.maxElapsedMs: 0', 'retry.maxElapsedMs', { retry: { maxElapsedMs: 0 } }),
  policy('retry.maxElapsedMs: -1', 'retry.maxElapsedMs', { retry: { maxElapsedMs: -1 } }),
  policy("retry.maxElapsedMs: '1000'", 'retry.maxElapsedMs', { retry: { maxElapsedMs: '1000' } }),
  policy('retry.maxElapsed', 'retry.maxElapsed', { retry: { maxElapsed: 1_000 } }),
  policy('retry.attemptTimeoutMs: 0', 'retry.attemptTimeoutMs', { retry: { attemptTimeoutMs: 0 } }),
  policy("retry.attemptTimeoutMs: '5s'", 'retry.attemptTimeoutMs', { retry: { attemptTimeoutMs: '5s' } }),
  policy('retry.attemptTimeout', 'retry.attemptTimeout', { retry: { attemptTimeout: 5_000 } }),
  policy('retry.timeoutMs', 'retry.timeoutMs', { retry: { timeoutMs: 5_000 } }),
  policy('retry.maxRetryAfterMs: -1', 'retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: -1 } }),
  policy('retry.maxRetryAfterMs: NaN', 'retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: Number.NaN } }),
  policy('retry.maxRetryAfter', 'retry.maxRetryAfter', { retry: { maxRetryAfter: 100 } }),
  policy('retry.backoff: {}', 'retry.backoff', { retry: { backoff: {} } }),
  policy("retry.backoff: 'exponential'", 'retry.backoff', { retry: { backoff: 'exponential' } }),
  policy('retry.backoff: 500', 'retry.backoff', { retry: { backoff: 500 } }),
  policy('retry.backof', 'retry.backof', { retry: { backof: {} } }),
  // rules and classifier
  policy('rules: fn', 'rules', { rules: fn }),
  policy("rules: ['nope']", 'rules[0]', { rules: ['nope'] }),
  policy('rules: [fn, undefined]', 'rules[1]', { rules: [fn, undefined] }),
  policy('rules: {}', 'rules', { rules: {} }),
  policy('classifier: fn', 'classifier', { classifier: fn }),
  policy('classifier: [5]', 'classifier[0]', { classifier: [5] }),
  // limits
  policy('limits: 5', 'limits', { limits: 5 }),
  policy('limits: { calls: 40 }', 'limits.calls', { limits: { calls: 40 } }),
  policy('a limit of 0.5 calls', 'limits.calls.limit', { limits: { calls: { limit: 0.5, windowMs: win } } }),
  policy('a limit of 0 calls', 'limits.calls.limit', { limits: { calls: { limit: 0, windowMs: win } } }),
  policy('a limit of -1 tokens', 'limits.tokens.limit', { limits: { tokens: { limit: -1, windowMs: win } } }),
  policy('a limit of Infinity tokens', 'limits.tokens.limit', {
    limits: { tokens: { limit: Number.POSITIVE_INFINITY, windowMs: win } },
  }),
  policy('a limit without windowMs', 'limits.calls.windowMs', { limits: { calls: { limit: 40 } } }),
  policy('limits.calls.window', 'limits.calls.window', { limits: { calls: { limit: 40, window: win } } }),
  policy('limits.calls.windowMS', 'limits.calls.windowMS', {
    limits: { calls: { limit: 40, windowMS: win } },
  }),
  policy("a limit of '40'", 'limits.calls.limit', { limits: { calls: { limit: '40', windowMs: win } } }),
  policy('limits.pause', 'limits.pause', { limits: { pause: { limit: 1, windowMs: win } } }),
  policy('a window of 0 ms', 'limits.calls.windowMs', { limits: { calls: { limit: 40, windowMs: 0 } } }),
  // limiter
  policy('limiter.maxQueue', 'limiter.maxQueue', { limits, limiter: { maxQueue: 5 } }),
  policy('limiter.maxQueued: 0', 'limiter.maxQueued', { limits, limiter: { maxQueued: 0 } }),
  policy('limiter.maxQueued: 1.5', 'limiter.maxQueued', { limits, limiter: { maxQueued: 1.5 } }),
  policy("limiter.algorithm: 'fixed'", 'limiter.algorithm', { limits, limiter: { algorithm: 'fixed' } }),
  policy('limiter.algoritm', 'limiter.algoritm', { limits, limiter: { algoritm: 'bucket' } }),
  policy('limiter.safetyMarginMs: -1', 'limiter.safetyMarginMs', { limits, limiter: { safetyMarginMs: -1 } }),
  policy('limiter.safetyMargin', 'limiter.safetyMargin', { limits, limiter: { safetyMargin: 100 } }),
  policy('limiter.store: {}', 'limiter.store', { limits, limiter: { store: {} } }),
  policy('limiter.onThrottle: 5', 'limiter.onThrottle', { limits, limiter: { onThrottle: 5 } }),
  policy('limiter options without limits', 'limiter', { limiter: { maxQueued: 5 } }),
  policy('limiter.limits (limits belong at the top)', 'limiter.limits', { limiter: { limits } }),
  policy("limiter: 'memory'", 'limiter', { limits, limiter: 'memory' }),
  policy('a custom limiter without pause', 'limiter.pause', { limiter: { acquire: async () => ({}) } }),
  policy('a custom limiter whose acquire is 5', 'limiter.acquire', { limiter: { acquire: 5, pause: fn } }),
  customLimiter('a custom limiter whose acquire returns a non-promise', () => ({ commit: fn, refund: fn })),
  customLimiter('a custom limiter whose acquire resolves to 5', async () => 5),
  // breaker
  policy('breaker.coolDownMs', 'breaker.coolDownMs', { breaker: { coolDownMs: 1_000 } }),
  policy('breaker.cooldownMs: -5', 'breaker.cooldownMs', { breaker: { cooldownMs: -5 } }),
  policy("breaker.cooldownMs: '30s'", 'breaker.cooldownMs', { breaker: { cooldownMs: '30s' } }),
  policy('breaker: true', 'breaker', { breaker: true }),
  policy("breaker: 'off'", 'breaker', { breaker: 'off' }),
  policy('breaker: null', 'breaker', { breaker: null }),
  // budget
  policy('budget.maxToken', 'budget.maxToken', { budget: { maxToken: 100 } }),
  policy('budget.maxTokens: 0', 'budget.maxTokens', { budget: { maxTokens: 0 } }),
  policy('budget.retryCost: -1', 'budget.retryCost', { budget: { retryCost: -1 } }),
  policy('budget.retryCost above maxTokens', 'budget.retryCost', {
    budget: { maxTokens: 10, retryCost: 20 },
  }),
  policy('budget.timeoutCost: NaN', 'budget.timeoutCost', { budget: { timeoutCost: Number.NaN } }),
  policy('budget: true', 'budget', { budget: true }),
  // clock, random, usage, estimate
  policy('a clock without clearTimeout', 'clock.clearTimeout', {
    clock: { now: () => 0, setTimeout: () => 0 },
  }),
  policy('clock: {}', 'clock', { clock: {} }),
  policy('clock: Date.now', 'clock', { clock: Date.now }),
  policy('random: Math.random', 'random', { random: Math.random }),
  policy('random: {}', 'random', { random: {} }),
  policy('usage: {}', 'usage', { usage: {} }),
  policy('estimate: 5', 'estimate', { estimate: 5 }),
  policy('provider: 42', 'provider', { provider: 42 }),
  policy("provider: ''", 'provider', { provider: '' }),
  policy('tokenUsage: {}', 'tokenUsage', { tokenUsage: {} }),
  // on:
  policy('on: 5', 'on', { on: 5 }),
  policy("on: 'retry'", 'on', { on: 'retry' }),
  policy('on.retyr', 'on.retyr', { on: { retyr: fn } }),
  policy('on.Retry', 'on.Retry', { on: { Retry: fn } }),
  policy('on.retry: 42', 'on.retry', { on: { retry: 42 } }),
  // policy.on
  {
    what: "policy.on('retyr')",
    path: "policy.on('retyr')",
    run: (lib) => lib.createPolicy().on('retyr', fn),
  },
  {
    what: "policy.on('retry', 5)",
    path: "policy.on('retry'",
    run: (lib) => lib.createPolicy().on('retry', 5),
  },
  { what: 'policy.on(5, fn)', path: 'policy.on', run: (lib) => lib.createPolicy().on(5, fn) },
  // a rule that returns something that is not a Verdict (known only when it runs)
  rule("a rule returning 'retry'", 'retry'),
  rule("a rule returning { action: 'retry', reason: 'flaky' }", { action: 'retry', reason: 'flaky' }),
  rule("a rule returning { action: 'retyr' }", { action: 'retyr' }),
  rule('a rule returning true', true),
  rule('a rule returning null', null),
  // exponential and constant
  { what: 'exponential(null)', path: 'exponential', run: (lib) => lib.exponential(null) },
  { what: 'exponential(5)', path: 'exponential', run: (lib) => lib.exponential(5) },
  {
    what: 'exponential({ bseMs })',
    path: 'exponential.bseMs',
    run: (lib) => lib.exponential({ bseMs: 100 }),
  },
  {
    what: 'exponential({ maxDelayMs })',
    path: 'exponential.maxDelayMs',
    run: (lib) => lib.exponential({ maxDelayMs: 1 }),
  },
  {
    what: 'exponential({ baseMs: -1 })',
    path: 'exponential.baseMs',
    run: (lib) => lib.exponential({ baseMs: -1 }),
  },
  {
    what: "exponential({ baseMs: '500' })",
    path: 'exponential.baseMs',
    run: (lib) => lib.exponential({ baseMs: '500' }),
  },
  {
    what: 'exponential({ maxMs below baseMs })',
    path: 'exponential.maxMs',
    run: (lib) => lib.exponential({ baseMs: 100, maxMs: 10 }),
  },
  {
    what: 'exponential({ factor: 0.5 })',
    path: 'exponential.factor',
    run: (lib) => lib.exponential({ factor: 0.5 }),
  },
  {
    what: "exponential({ jitter: 'ful' })",
    path: 'exponential.jitter',
    run: (lib) => lib.exponential({ jitter: 'ful' }),
  },
  { what: "constant('1s')", path: 'constant(delayMs)', run: (lib) => lib.constant('1s') },
  { what: 'constant(-1)', path: 'constant(delayMs)', run: (lib) => lib.constant(-1) },
  { what: 'constant()', path: 'constant(delayMs)', run: (lib) => lib.constant() },
  // createLimiter and MemoryStore
  { what: 'createLimiter(null)', path: 'createLimiter', run: (lib) => lib.createLimiter(null) },
  { what: 'createLimiter({})', path: 'limits', run: (lib) => lib.createLimiter({}) },
  {
    what: 'createLimiter({ maxQueue })',
    path: 'maxQueue',
    run: (lib) => lib.createLimiter({ limits, maxQueue: 5 }),
  },
  { what: 'createLimiter({ limts })', path: 'limts', run: (lib) => lib.createLimiter({ limts: limits }) },
  {
    what: 'createLimiter with a clock without clearTimeout',
    path: 'clock.clearTimeout',
    run: (lib) => lib.createLimiter({ limits, clock: { now: () => 0, setTimeout: () => 0 } }),
  },
  {
    what: 'createLimiter with a limit of 0.5 calls',
    path: 'limits.calls.limit',
    run: (lib) => lib.createLimiter({ limits: { calls: { limit: 0.5, windowMs: win } } }),
  },
  {
    what: 'new MemoryStore({ algoritm })',
    path: 'algoritm',
    run: (lib) => new lib.MemoryStore({ limits, algoritm: 'bucket' }),
  },
  { what: 'new MemoryStore(null)', path: 'MemoryStore', run: (lib) => new lib.MemoryStore(null) },
  // presets and adapters
  { what: 'cohere({ plna })', path: 'cohere.plna', run: (lib) => lib.cohere({ plna: 'trial' }) },
  { what: "cohere({ plan: 'Trial' })", path: 'cohere.plan', run: (lib) => lib.cohere({ plan: 'Trial' }) },
  { what: 'cohere(null)', path: 'cohere', run: (lib) => lib.cohere(null) },
  {
    what: 'wrapClient({ method })',
    path: 'wrapClient.method',
    run: (lib) => lib.wrapClient({}, lib.createPolicy(), { method: fn }),
  },
  {
    what: 'wrapClient({ args: {} })',
    path: 'wrapClient.args',
    run: (lib) => lib.wrapClient({}, lib.createPolicy(), { args: {} }),
  },
  { what: 'wrapClient(…, 5)', path: 'wrapClient', run: (lib) => lib.wrapClient({}, lib.createPolicy(), 5) },
  {
    what: 'wrapClient({ profile: {} })',
    path: 'wrapClient.profile.name',
    run: (lib) => lib.wrapClient({}, lib.createPolicy(), { profile: {} }),
  },
  {
    what: 'wrapClient({ profile: { name, event } })',
    path: 'wrapClient.profile.event',
    run: (lib) => lib.wrapClient({}, lib.createPolicy(), { profile: { name: 'x', event: {} } }),
  },
  {
    what: 'wrapClient({ profile: { name, events: {} } })',
    path: 'wrapClient.profile.events',
    run: (lib) => lib.wrapClient({}, lib.createPolicy(), { profile: { name: 'x', events: {} } }),
  },
];

/** How a row went: it threw (or the call rejected) naming its path, threw without naming it, or was accepted. */
export type Result = { kind: 'named' | 'unnamed'; message: string } | { kind: 'accepted' };

/** Tries one row; a call that neither rejects nor resolves in `waitMs` of real time counts as accepted. */
export async function attempt(row: WrongOption, lib: Lib, waitMs = 200): Promise<Result> {
  let message: string;
  try {
    const out = row.run(lib);
    if (!(out instanceof Promise)) return { kind: 'accepted' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<'hung'>((r) => {
      timer = setTimeout(() => r('hung'), waitMs);
    });
    const settled = await Promise.race([out.then(() => 'resolved' as const), hung]).finally(() =>
      clearTimeout(timer),
    );
    if (settled === 'hung') out.catch(() => {});
    return { kind: 'accepted' };
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  return { kind: message.includes(row.path) ? 'named' : 'unnamed', message };
}
