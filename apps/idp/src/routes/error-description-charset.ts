import type { FastifyReply, FastifyRequest } from 'fastify';

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash, ASCII).
const OUTSIDE_CHARSET = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

/** Replaces the characters RFC 6749 §5.2 forbids in an `error_description` (quote -> apostrophe, others -> `?`). */
export function toErrorDescriptionCharset(description: string): string {
  return description.replaceAll('"', "'").replace(new RegExp(OUTSIDE_CHARSET.source, 'g'), '?');
}

/**
 * An `onSend` hook keeping every OAuth error body within RFC 6749 §5.2's `error_description` charset. Shared code
 * (the form parser of `@ema/oauth-server`) quotes the offending parameter name, which may carry `"` or any
 * Unicode. Only error answers are looked at, so the 200 path costs one comparison.
 */
export async function errorDescriptionCharset(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.includes('"error_description"')) {
    return payload;
  }
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (body === null || typeof body !== 'object' || !('error_description' in body)) return payload;
  const description = body.error_description;
  if (typeof description !== 'string' || !OUTSIDE_CHARSET.test(description)) return payload;
  return JSON.stringify({ ...body, error_description: toErrorDescriptionCharset(description) });
}
