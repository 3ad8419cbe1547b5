import { InvalidTokenError } from '@ema/oauth-server';
import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { parseScope, UserinfoResponse } from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { User } from '../storage/directory-types.js';
import { hashOpaqueToken } from '../tokens/opaque-token.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  return match?.[1];
}

/** OIDC Core §5.4: the claims each scope releases at userinfo. */
function releasedClaims(user: User, scopes: readonly string[]) {
  return {
    sub: user.id,
    ...(scopes.includes('profile') ? { name: user.name, preferred_username: user.username } : {}),
    ...(scopes.includes('email') ? { email: user.email, email_verified: true } : {}),
    ...(scopes.includes('groups') ? { groups: [...user.groups] } : {}),
  };
}

/**
 * The userinfo endpoint (OIDC Core §5.3): `GET` or `POST` with `Authorization: Bearer <IdP access token>`.
 * A missing, unknown, expired or revoked token answers `401` with `WWW-Authenticate: Bearer` (RFC 6750 §3).
 */
export const userinfoRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const realm = `Bearer realm="${context.config.issuer}"`;
  const invalid = () =>
    new InvalidTokenError('the access token is invalid, expired or revoked', {
      headers: { 'WWW-Authenticate': `${realm}, error="invalid_token"` },
    });
  fastify.route({
    method: ['GET', 'POST'],
    url: ENDPOINT_PATHS.userinfo,
    schema: { response: { 200: UserinfoResponse, 401: oauthErrorResponseSchema } },
    handler: async (request, reply) => {
      const token = bearerToken(request);
      // RFC 6750 §3.1: no credentials at all -> a challenge without an error code.
      if (token === undefined) {
        throw new InvalidTokenError('a Bearer access token is required', { headers: { 'WWW-Authenticate': realm } });
      }
      const record = context.storage.findAccessToken(hashOpaqueToken(token));
      if (record === undefined || record.expiresAt <= nowSeconds(context)) throw invalid();
      const grant = context.storage.findGrant(record.grantId);
      if (grant === undefined || grant.revokedAt !== null) throw invalid();
      const user = context.storage.findUserById(grant.userId);
      if (user === undefined || user.disabled) throw invalid();
      reply.header('cache-control', 'no-store');
      return releasedClaims(user, parseScope(record.scope));
    },
  });
};
