import { createHash, timingSafeEqual } from 'node:crypto';
import { type GrantModule, InvalidGrantError, InvalidRequestError, markAudited } from '@ema/oauth-server';
import { GRANT_TYPE_AUTHORIZATION_CODE, type OidcTokenResponse } from '@ema/protocol';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { prepareTokenSet } from '../oidc/issue-token-set.js';
import type { IdpClient, User } from '../storage/directory-types.js';
import type { AuthorizationCode, Grant } from '../storage/token-types.js';
import { hashOpaqueToken } from '../tokens/opaque-token.js';

// RFC 7636 §4.1: code_verifier = 43*128 unreserved characters.
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function s256(verifier: string): Buffer {
  return Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
}

/**
 * The authorization code grant (RFC 6749 §4.1.3, OIDC Core §3.1.3): the code is single use, unexpired, bound to
 * the authenticated client, the redirect URI and the PKCE verifier. A second redemption revokes every token issued
 * from the code (RFC 6749 §4.1.2).
 */
export function authorizationCodeGrant(context: IdpContext): GrantModule<IdpClient, OidcTokenResponse> {
  const audit = (reason: string, clientId: string, details: Record<string, unknown> = {}) =>
    context.audit.record({ type: 'token.authorization_code', outcome: 'failure', reason, clientId, details });
  const invalid = () =>
    markAudited(new InvalidGrantError('the authorization code is invalid, expired or already used'));
  const refuse = (reason: string, clientId: string, details: Record<string, unknown> = {}) => {
    audit(reason, clientId, details);
    return invalid();
  };
  return {
    grantType: GRANT_TYPE_AUTHORIZATION_CODE,
    async handler({ params, client }) {
      const code = params.get('code');
      const redirectUri = params.get('redirect_uri');
      const verifier = params.get('code_verifier');
      if (code === undefined) throw new InvalidRequestError('code is required');
      if (redirectUri === undefined) throw new InvalidRequestError('redirect_uri is required');
      // RFC 9700 §2.1.1: PKCE is mandatory here, so a missing verifier is a malformed request.
      if (verifier === undefined) throw new InvalidRequestError('code_verifier is required');
      if (!CODE_VERIFIER.test(verifier)) throw new InvalidRequestError('code_verifier is malformed');

      const { storage } = context;
      const now = nowSeconds(context);
      const codeHash = hashOpaqueToken(code);
      const record = storage.findAuthorizationCode(codeHash);
      if (record === undefined) throw refuse('unknown_code', client.clientId);
      // RFC 6749 §4.1.3: the code was issued to this client; another client's attempt does not burn it.
      if (record.clientId !== client.clientId) throw refuse('code_issued_to_another_client', client.clientId);
      const checked = checkCode(context, record, redirectUri, verifier, now);
      // The code is consumed in the transaction that records the outcome, a refusal's record or the whole token set:
      // the request is kept whole or not at all (a write that fails, such as on a full disk, leaves the code
      // unconsumed, so the client's retry is not taken for a replay). Atomic: of two redemptions, one consumes it.
      const consumeWith = (work: () => void): boolean =>
        storage.transaction(() => {
          if (!storage.consumeAuthorizationCode(codeHash, now)) return false;
          work();
          return true;
        });
      const replayed = () => {
        // RFC 6749 §4.1.2: a reused code SHOULD revoke every token already issued from it.
        storage.revokeGrant(record.grantId, now, 'authorization code reused');
        return refuse('code_reused_grant_revoked', client.clientId, { grantId: record.grantId });
      };
      if (typeof checked === 'string') {
        // A failed check burns the code, as any attempt with it does.
        if (!consumeWith(() => audit(checked, client.clientId))) throw replayed();
        throw invalid();
      }
      const tokenSet = await prepareTokenSet(context, checked.grant, checked.user, {
        scope: checked.grant.scope,
        includeNonce: true,
      });
      if (!consumeWith(tokenSet.store)) throw replayed();
      return tokenSet.response;
    },
  };
}

/**
 * The checks of a known code of this client, in order (RFC 6749 §4.1.3, RFC 7636 §4.6): unexpired, the same
 * redirect URI, the PKCE verifier, its grant unrevoked, its user active. The grant and user to issue for, or the
 * reason for the audit log.
 */
function checkCode(
  context: IdpContext,
  record: AuthorizationCode,
  redirectUri: string,
  verifier: string,
  now: number,
): { grant: Grant; user: User } | string {
  if (record.expiresAt <= now) return 'code_expired';
  if (record.redirectUri !== redirectUri) return 'redirect_uri_mismatch';
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the stored code_challenge.
  const expected = Buffer.from(record.codeChallenge);
  const actual = s256(verifier);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'pkce_verifier_mismatch';
  const grant = context.storage.findGrant(record.grantId);
  if (grant === undefined || grant.revokedAt !== null) return 'grant_revoked';
  const user = context.storage.findUserById(grant.userId);
  if (user === undefined || user.disabled) return 'user_inactive';
  return { grant, user };
}
