/**
 * What counts as a secret, and how it is scrubbed from text. Used by `redact` (the one place where
 * a raw error becomes something steady shows), never on the success path.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Header and option names whose value is a credential: `Authorization`, `Proxy-Authorization`,
 * `Cookie`, `Set-Cookie`, `x-api-key`, `api-key`, `x-goog-api-key`, `x-auth-token`, a client's
 * `token` / `apiKey` / `password`, axios's `auth`. Plurals are not credentials (`input_tokens`).
 */
const CREDENTIAL_KEY =
  /^(?:proxy-)?authori[sz]ation$|^(?:set-)?cookie2?$|^auth$|(?:^|[-_])(?:api[-_]?key|apikey|subscription[-_]key|secret|client[-_]secret|password|passwd|passphrase|token|credentials?|session[-_]?id|auth[-_]?token|access[-_]?token|refresh[-_]?token|id[-_]?token)$/i;

/** Camel-case spellings (`apiKey`, `accessToken`, `clientSecret`). */
const CREDENTIAL_CAMEL = /^(?:apiKey|accessToken|refreshToken|authToken|idToken|clientSecret|sessionId)$/;

/** Shorter values are redacted where they stand (under a credential name) but not searched for in text. */
const MIN_SECRET = 6;

/**
 * `Bearer <token>` (any case) and `Basic <base64>` wherever they appear in text. A token is 8 or
 * more token characters with a digit or a symbol among them, so prose ("bearer credentials",
 * "Basic authentication") is left alone. Linear: the letters before the first digit or symbol
 * cannot also match it.
 */
const SCHEME_TOKEN =
  /\b([Bb][Ee][Aa][Rr][Ee][Rr]|Basic)\s+(?=[A-Za-z0-9._~+/=-]{8})[A-Za-z-]*[0-9._~+/=][A-Za-z0-9._~+/=-]*/g;

export function isCredentialKey(key: PropertyKey): boolean {
  return typeof key === 'string' && (CREDENTIAL_KEY.test(key) || CREDENTIAL_CAMEL.test(key));
}

/**
 * Adds the text of a credential value: the whole value, the token after an auth scheme
 * (`Bearer sk-…` → `sk-…`), each value of a cookie list (`a=b; c=d` → `b`, `d`).
 */
export function addSecret(into: Set<string>, value: unknown, cookie = false): void {
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 64)) addSecret(into, v, cookie);
    return;
  }
  if (typeof value !== 'string') return;
  const text = value.trim();
  if (text.length >= MIN_SECRET) into.add(text);
  const scheme = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(text);
  if (scheme && scheme[1]!.length >= MIN_SECRET) into.add(scheme[1]!);
  if (!cookie) return;
  for (const part of text.split(';').slice(0, 64)) {
    const eq = part.indexOf('=');
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (v.length >= MIN_SECRET) into.add(v);
  }
}

/** Adds a credential found under `key`. */
export function addKeyed(into: Set<string>, key: PropertyKey, value: unknown): void {
  addSecret(into, value, typeof key === 'string' && /cookie/i.test(key));
}

/** Longest first, so that a secret inside a longer one does not leave the longer one's rest behind. */
export function ordered(secrets: Set<string>): readonly string[] {
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every known secret and every `Bearer …` / `Basic …` token replaced by `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.replace(SCHEME_TOKEN, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}
