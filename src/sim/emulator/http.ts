/** Small node:http helpers: read a body, answer JSON, read the bearer key. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The body as text. Bodies past `maxBytes` are cut there (the JSON then fails to parse: a 400). */
export function readBody(req: IncomingMessage, maxBytes = 64 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A client that leaves mid-body: resolve with what came, the caller sees the response gone.
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The key of `Authorization: Bearer KEY`, or undefined when there is none. */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
