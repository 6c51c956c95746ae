/**
 * The start of a response body as text: at most `maxBytes` bytes are read, then the rest of the
 * stream is cancelled (so a 200 MB error page is neither downloaded nor kept). A body that fails
 * mid-read gives what was read before. When `signal` aborts, the read stops there and the stream
 * is cancelled: the text is what arrived before. Never throws.
 */
export async function readCapped(res: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const stream = res.body;
  if (!stream) return '';
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = stream.getReader();
  } catch {
    return ''; // locked or already read
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stop = () => {
    reader.cancel().catch(() => {});
  };
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop);
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, maxBytes - size);
      chunks.push(value.subarray(0, take));
      size += take;
    }
  } catch {
    // The body broke off: keep what arrived.
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  // The rest is not wanted (cancelling a stream already ended or broken does nothing).
  stop();
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}
