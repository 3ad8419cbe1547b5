import {
  type GrantModule,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  markAudited,
  type RefreshTokenProblem,
} from '@ema/oauth-server';
import { formatScope, GRANT_TYPE_REFRESH_TOKEN, type OidcTokenResponse, parseScope } from '@ema/protocol';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { prepareTokenSet } from '../oidc/issue-token-set.js';
import type { IdpClient } from '../storage/directory-types.js';
import type { Grant, RefreshToken } from '../storage/token-types.js';
import { hashOpaqueToken } from '../tokens/opaque-token.js';

/** A refresh token that passed every check, with its grant. */
export interface UsableRefreshToken {
  readonly tokenHash: string;
  readonly token: RefreshToken;
  readonly grant: Grant;
}

/**
 * Checks a presented IdP refresh token: known, issued to `clientId`, not rotated, unexpired, its grant unrevoked.
 * Presenting a rotated token is reuse: the whole family is revoked (RFC 9700 §4.14.2), so the problem `reused`
 * has already revoked it. Used by the refresh grant and, for subject tokens, by the token exchange.
 */
export function checkRefreshToken(
  context: IdpContext,
  presented: string,
  clientId: string,
): UsableRefreshToken | RefreshTokenProblem {
  const { storage } = context;
  const now = nowSeconds(context);
  const tokenHash = hashOpaqueToken(presented);
  const token = storage.findRefreshToken(tokenHash);
  if (token === undefined) return 'unknown';
  // RFC 6749 §6: the refresh token is bound to the client it was issued to.
  if (token.clientId !== clientId) return 'other_client';
  if (token.rotatedAt !== null) {
    storage.revokeGrant(token.grantId, now, 'refresh token reused');
    return 'reused';
  }
  if (token.expiresAt <= now) return 'expired';
  const grant = storage.findGrant(token.grantId);
  if (grant === undefined || grant.revokedAt !== null) return 'revoked';
  return { tokenHash, token, grant };
}

/**
 * The refresh token grant (RFC 6749 §6, OIDC Core §12): rotates the refresh token on every use; reuse of a
 * rotated token revokes the whole family (RFC 9700 §4.14.2). A `scope` parameter may only narrow the grant.
 */
export function refreshTokenGrant(context: IdpContext): GrantModule<IdpClient, OidcTokenResponse> {
  const refuse = (reason: string, clientId: string, subject?: string) => {
    context.audit.record({
      type: 'token.refresh',
      outcome: 'failure',
      reason,
      clientId,
      ...(subject === undefined ? {} : { subject }),
    });
    return markAudited(new InvalidGrantError('the refresh token is invalid, expired or revoked'));
  };
  return {
    grantType: GRANT_TYPE_REFRESH_TOKEN,
    async handler({ params, client }) {
      const presented = params.get('refresh_token');
      if (presented === undefined) throw new InvalidRequestError('refresh_token is required');
      const checked = checkRefreshToken(context, presented, client.clientId);
      if (typeof checked === 'string') throw refuse(`refresh_token_${checked}`, client.clientId);
      const { grant, tokenHash } = checked;
      const granted = parseScope(grant.scope);
      const requested = params.has('scope') ? parseScope(params.get('scope')) : granted;
      // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted.
      if (requested.some((scope) => !granted.includes(scope)) || !requested.includes('openid')) {
        throw new InvalidScopeError('the scope exceeds the original grant');
      }
      const user = context.storage.findUserById(grant.userId);
      if (user === undefined || user.disabled) throw refuse('user_inactive', client.clientId, grant.userId);
      const tokenSet = await prepareTokenSet(context, grant, user, {
        scope: formatScope(requested),
        includeNonce: false,
      });
      // One transaction: the rotation and the new set are kept together or not at all (a write that fails, such as
      // on a full disk, leaves the presented token usable, so the client's retry is not taken for reuse). Atomic:
      // of two concurrent uses of one token, only one rotates; the other is reuse.
      const rotated = context.storage.transaction(() => {
        if (!context.storage.rotateRefreshToken(tokenHash, nowSeconds(context))) return false;
        tokenSet.store();
        return true;
      });
      if (!rotated) {
        context.storage.revokeGrant(grant.id, nowSeconds(context), 'refresh token reused');
        throw refuse('refresh_token_reused', client.clientId, grant.userId);
      }
      return tokenSet.response;
    },
  };
}
