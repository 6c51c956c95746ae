import { execute } from './loop.js';
import type { AttemptContext, RunOptions } from './options.js';
import type { Resolved } from './resolve.js';

/**
 * What instrumentation puts around each call and each attempt, for what events cannot do: run the
 * work inside something (steady/otel opens a span per call and makes a span per attempt the active
 * one while `fn` runs, so an HTTP client's own span nests under it). Unused, it costs the loop one
 * property read per call and one per attempt.
 */
export interface Around {
  /** Runs one whole call: calls `run` once, at once, and returns a promise that settles as its does. */
  call<T>(options: RunOptions, run: () => Promise<T>): Promise<T>;
  /** Runs one attempt (inside `call`'s `run`): calls `run` once, at once, and returns a promise that settles as its does. */
  attempt<T>(attempt: number, run: () => Promise<T>): Promise<T>;
}

const NO_OPTIONS: RunOptions = Object.freeze({});

/** `policy.run` while something instruments the policy: the whole call inside `p.around.call`. */
export function aroundCall<T>(
  p: Resolved,
  fn: (ctx: AttemptContext) => T | PromiseLike<T>,
  options: RunOptions = NO_OPTIONS,
): Promise<T> {
  return p.around!.call(options, () => execute(p, fn, options));
}

const policies = new WeakMap<object, Resolved>();
const lists = new WeakMap<Resolved, Around[]>();

/** Remembers the options behind a policy object, for `internalsOf` (createPolicy calls it). */
export function register(policy: object, p: Resolved): void {
  policies.set(policy, p);
}

/** The checked options behind a policy from `createPolicy` (`undefined` for anything else). */
export function internalsOf(policy: unknown): Resolved | undefined {
  return policies.get(policy as object); // a WeakMap answers undefined for a primitive, never throws
}

/** Puts `around` around the policy's calls and attempts (inside any added before); returns what takes it away. */
export function addAround(p: Resolved, around: Around): () => void {
  const list = lists.get(p) ?? [];
  lists.set(p, list);
  list.push(around);
  p.around = compose(list);
  return () => {
    const i = list.indexOf(around);
    if (i < 0) return;
    list.splice(i, 1);
    p.around = compose(list);
  };
}

function compose(list: readonly Around[]): Around | undefined {
  if (list.length <= 1) return list[0];
  const all = list.slice();
  return {
    call: (options, run) => all.reduceRight((next, a) => () => a.call(options, next), run)(),
    attempt: (attempt, run) => all.reduceRight((next, a) => () => a.attempt(attempt, next), run)(),
  };
}
