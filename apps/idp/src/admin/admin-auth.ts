import { createHash, timingSafeEqual } from 'node:crypto';
import { CSRF_HEADER } from '@ema/html';
import { AccessDeniedError, InvalidTokenError } from '@ema/oauth-server';
import type { FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { ADMIN_GROUP } from '../seed/demo-world.js';
import { verifySessionCsrf } from '../session/csrf.js';
import { type ActiveSession, currentSession } from '../session/sso-session.js';
import type { AdminActor } from './admin-audit.js';

/** The actor name of calls made with the admin API token. */
export const API_TOKEN_ACTOR = 'api-token';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Whether the session's user may administer the IdP (member of `it-admins`). */
export function isAdmin(active: ActiveSession): boolean {
  return active.user.groups.includes(ADMIN_GROUP);
}

/**
 * Authenticates an admin API call: `Authorization: Bearer <IDP_ADMIN_API_TOKEN>` (compared as SHA-256 digests in
 * constant time), or the SSO session cookie of an `it-admins` member, which for any state-changing method must
 * also send the session's CSRF token in `X-CSRF-Token`. Throws 401 `invalid_token` or 403 `access_denied`.
 */
export function authenticateAdminApi(context: IdpContext, request: FastifyRequest): AdminActor {
  const realm = `Bearer realm="${context.config.issuer}/admin/api"`;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer (\S+)$/i.exec(authorization)?.[1];
    const expected = context.config.adminApiToken;
    if (token !== undefined && expected !== undefined && timingSafeEqual(digest(token), digest(expected))) {
      return { name: API_TOKEN_ACTOR };
    }
    throw new InvalidTokenError('the admin API token is invalid', {
      headers: { 'WWW-Authenticate': `${realm}, error="invalid_token"` },
    });
  }
  const active = currentSession(context, request);
  if (active === undefined) {
    throw new InvalidTokenError('an admin API token or an admin session is required', {
      headers: { 'WWW-Authenticate': realm },
    });
  }
  if (!isAdmin(active)) throw new AccessDeniedError(`only members of ${ADMIN_GROUP} may use the admin API`);
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !verifySessionCsrf(active.token, header)) {
      throw new AccessDeniedError('missing or invalid CSRF token');
    }
  }
  return { name: active.user.username };
}
