import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidTokenError } from '@ema/oauth-server';
import type { FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

// RFC 6750 §3.1: a request with no bearer token (none, or another scheme) gets a challenge with no error code;
// one whose token was sent and is wrong SHOULD be told error="invalid_token".
const NO_TOKEN_CHALLENGE = 'Bearer realm="ras-admin"';
const INVALID_TOKEN_CHALLENGE = 'Bearer realm="ras-admin", error="invalid_token"';

/**
 * An `onRequest` hook guarding the admin API with the configured bearer token (RFC 6750 §2.1), compared in
 * constant time over SHA-256 digests so neither content nor length leaks through timing.
 */
export function adminAuthHook(adminApiToken: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(adminApiToken);
  return async (request) => {
    const header = request.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (presented === undefined) {
      throw new InvalidTokenError('admin API token required', { headers: { 'WWW-Authenticate': NO_TOKEN_CHALLENGE } });
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new InvalidTokenError('admin API token required', {
        headers: { 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE },
      });
    }
  };
}
