/** Statuses whose Response must have a null body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A Response with the status, status text and headers of `res` and the given body, for a body read
 * (or guarded) inside the attempt. `url`, `redirected` and `type` are copied onto it (a Response
 * built by hand has none), also onto its `clone()`s.
 */
export function rebuild(res: Response, body: BodyInit | null): Response {
  const out = new Response(NULL_BODY.has(res.status) ? null : body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  return withOrigin(out, res);
}

function withOrigin(out: Response, res: Response): Response {
  const clone = out.clone.bind(out);
  Object.defineProperties(out, {
    url: { value: res.url },
    redirected: { value: res.redirected },
    type: { value: res.type },
    clone: { value: () => withOrigin(clone(), res) },
  });
  return out;
}

/**
 * The error for a body shorter than its `content-length` (a fetch implementation that does not
 * check it, or a connection closed cleanly too early): a network failure, retried.
 */
export function checkLength(res: Response, method: string, received: number): void {
  const declared = res.headers.get('content-length');
  if (declared === null || !/^\d{1,15}$/.test(declared.trim())) return;
  if (method === 'HEAD' || NULL_BODY.has(res.status) || res.headers.has('content-encoding')) return;
  const expected = Number(declared);
  if (received >= expected) return;
  throw Object.assign(
    new Error(`steady: the response body ended after ${received} of its ${expected} bytes (content-length)`),
    { code: 'ERR_STREAM_PREMATURE_CLOSE' },
  );
}
