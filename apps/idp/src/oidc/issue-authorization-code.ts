import { formatScope } from '@ema/protocol';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { ActiveSession } from '../session/sso-session.js';
import { generateId, generateOpaqueToken, hashOpaqueToken } from '../tokens/opaque-token.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * Records a grant for this sign-in and client, and issues its authorization code: single use, short-lived, bound
 * to the client, the redirect URI and the PKCE challenge (RFC 6749 §4.1.2, RFC 7636 §4.4). Returns the code.
 */
export function issueAuthorizationCode(
  context: IdpContext,
  request: AuthorizationRequest,
  active: ActiveSession,
): string {
  const now = nowSeconds(context);
  const grantId = generateId('grt');
  const code = generateOpaqueToken();
  context.storage.transaction(() => {
    context.storage.insertGrant({
      id: grantId,
      clientId: request.client.clientId,
      userId: active.user.id,
      scope: formatScope(request.scopes),
      sessionId: active.session.id,
      authTime: active.session.authTime,
      amr: active.session.amr,
      nonce: request.nonce ?? null,
      revokedAt: null,
      createdAt: now,
    });
    context.storage.insertAuthorizationCode(hashOpaqueToken(code), {
      grantId,
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      expiresAt: now + context.config.authorizationCodeTtlSeconds,
      consumedAt: null,
    });
  });
  return code;
}
