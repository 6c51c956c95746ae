import { get, isObject, str } from '../classify/safe.js';

/**
 * The `{ type, code }` of a provider's JSON error, wherever the client put it: the whole body as
 * sent (`{ error: { type, code, message } }`, OpenAI's and Anthropic's shape), or the inner error
 * object alone (what openai's `APIError` keeps as `error`).
 */
export function errorFields(body: unknown): { type?: string; code?: string } {
  if (!isObject(body)) return {};
  const inner = get(body, 'error');
  const e = isObject(inner) ? inner : body;
  const out: { type?: string; code?: string } = {};
  const type = str(get(e, 'type'));
  const code = str(get(e, 'code')) ?? str(get(get(e, 'details'), 'error_code'));
  if (type !== undefined) out.type = type.toLowerCase();
  if (code !== undefined) out.code = code.toLowerCase();
  return out;
}
