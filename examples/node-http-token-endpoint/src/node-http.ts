/** The little `node:http` plumbing a framework would otherwise provide: a bounded body reader and JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MEDIA_TYPE_JSON } from '@ema/protocol';

/** Thrown by {@link readBody} when the body is larger than its limit. */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE';
}

/** Reads the request body as UTF-8, refusing more than `limit` bytes (the token endpoint needs a few hundred). */
export async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
    length += buffer.length;
    if (length > limit) throw new BodyTooLargeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends `body` as JSON (or `contentType`) with `headers`; every answer says `nosniff`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  contentType: string = MEDIA_TYPE_JSON,
): void {
  const payload = JSON.stringify(body);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.writeHead(status);
  response.end(payload);
}
