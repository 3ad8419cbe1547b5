import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidTokenError } from '@ema/oauth-server';
import type { FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * An `onRequest` hook guarding the admin API with the configured bearer token (RFC 6750 §2.1), compared in
 * constant time over SHA-256 digests so neither content nor length leaks through timing.
 */
export function adminAuthHook(adminApiToken: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(adminApiToken);
  return async (request) => {
    const header = request.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new InvalidTokenError('admin API token required', {
        headers: { 'WWW-Authenticate': 'Bearer realm="ras-admin"' },
      });
    }
  };
}
