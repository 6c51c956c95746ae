import type { Verdict } from '../classify/verdict.js';
import { Copier, DROP } from './copy.js';
import { type FieldCache, isDropped, isObject, MAX_DEPTH, MAX_NODES, pairsOf, UNREADABLE } from './fields.js';
import { keepRaw } from './raw.js';
import { addKeyed, addSecret, isCredentialKey, ordered, scrub } from './secrets.js';

/**
 * Redaction: the one place where a raw error (got's `HTTPError` with its options, an `AxiosError`
 * with its config, a fetch `Response`, an SDK error) becomes something steady shows — the `cause`
 * of its errors, the `error` of its events, their messages and verdicts.
 *
 * The copy keeps each object's prototype (`cause instanceof HTTPError`, `axios.isAxiosError(cause)`,
 * `cause.response.status`, `.data`, `.headers` work), with the value of every credential header or
 * option replaced by `[redacted]`, every known secret and `Bearer …` token scrubbed from its text,
 * and what can hold a live connection or a raw request dropped (sockets, agents, requests, streams,
 * signals). The secrets are those found in the value itself (request headers in got's options and
 * axios's config, cookies a response sets) plus those the caller declares (`RunOptions.secrets`).
 * Bounded (depth, objects, keys), cycle-safe, and it never throws: what cannot be read is
 * `[unreadable]`. The raw value stays reachable through `rawCause`, never through the copy.
 */

export interface Redaction {
  /** The redacted copy (the value itself when there is nothing in it to copy: a number, a function). */
  value: unknown;
  /** The secrets it was scrubbed of, longest first: scrub more text with them. */
  secrets: readonly string[];
}

/** The redacted copy of `value` and the secrets found; `declared` are strings or headers (a record, `Headers`, pairs). */
export function redaction(value: unknown, declared?: readonly unknown[]): Redaction {
  let secrets: readonly string[] = [];
  try {
    const fields: FieldCache = new Map();
    secrets = secretsOf(value, declared, fields);
    const copy = new Copier(secrets, fields).value(value, 0);
    const shown = copy === DROP ? `[${nameOf(value)}]` : copy;
    if (shown !== value && isObject(shown)) keepRaw(shown, value);
    return { value: shown, secrets };
  } catch {
    return { value: UNREADABLE, secrets };
  }
}

/** The redacted copy of `value` (see `redaction`). */
export function redact(value: unknown, declared?: readonly unknown[]): unknown {
  return redaction(value, declared).value;
}

/** The verdict with its `message` scrubbed; the same verdict when there was nothing to scrub. */
export function scrubVerdict<V extends Verdict | undefined>(verdict: V, secrets: readonly string[]): V {
  const message = verdict?.message;
  if (typeof message !== 'string') return verdict;
  const clean = scrub(message, secrets);
  return clean === message ? verdict : { ...verdict, message: clean };
}

/** The credential values in `value` and in `declared`, longest first. */
export function secretsOf(
  value: unknown,
  declared?: readonly unknown[],
  fields: FieldCache = new Map(),
): readonly string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const walk = (x: unknown, depth: number): void => {
    if (!isObject(x) || depth > MAX_DEPTH || seen.has(x) || seen.size >= MAX_NODES) return;
    seen.add(x);
    try {
      if (isDropped(x)) return;
      for (const [key, v] of pairsOf(x, fields)) {
        if (isCredentialKey(key)) addKeyed(found, key, v);
        else walk(v, depth + 1);
      }
    } catch {
      // Unreadable (a Proxy that throws): nothing found there.
    }
  };
  walk(value, 0);
  for (const d of declared ?? []) {
    if (typeof d === 'string') addSecret(found, d);
    else walk(d, 0);
  }
  return ordered(found);
}

function nameOf(x: unknown): string {
  try {
    return (x as object).constructor?.name || 'object';
  } catch {
    return 'object';
  }
}
