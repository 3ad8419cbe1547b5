/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5-4.6, RFC 8707 §2.2) as a grant module of the token
 * endpoint, neutral to framework and storage. The code must exist, be unexpired, be this client's, come with the
 * exact `redirect_uri` of its authorization request and the PKCE verifier of its S256 challenge, and name (if it
 * names one) the code's resource. It is single use: a code presented again revokes its grant and every token issued
 * from it (RFC 6749 §4.1.2), since either the client misbehaves or an attacker holds the code.
 */
import { type AuthorizationCodeTokenResponse, GRANT_TYPE_AUTHORIZATION_CODE } from '@ema/protocol';
import { verifyS256CodeVerifier } from '../../authorization/pkce.js';
import type { RegisteredClient } from '../../client-auth/registered-client.js';
import { InvalidGrantError, InvalidRequestError, InvalidTargetError } from '../../errors/token-errors.js';
import { markAudited } from '../../token-endpoint/audited-refusal.js';
import type { GrantModule } from '../../token-endpoint/grant-module.js';
import type { AtomicCommit, RedemptionAuditLog } from '../jwt-bearer/redemption-storage.js';
import type { AuthorizationCodeStore, StoredAuthorizationCode } from './authorization-grant-storage.js';
import { auditGrantRefusal, GrantRefusal } from './grant-refusal.js';
import {
  type InteractiveTokenOptions,
  type PreparedTokens,
  recordInteractiveTokens,
  tokenResponse,
} from './issue-interactive-tokens.js';

/** The audit type of every authorization code redemption, allowed or refused. */
export const AUTHORIZATION_CODE_AUDIT_TYPE = 'authorization_code.redemption';

/** Options of {@link authorizationCodeGrant}. */
export interface AuthorizationCodeGrantOptions extends InteractiveTokenOptions {
  codes: AuthorizationCodeStore;
  audit: RedemptionAuditLog;
  /** Runs each decision's writes and audit record atomically, resolving once they are durable. */
  commit: AtomicCommit;
  /** Epoch milliseconds. */
  now: () => number;
}

const INVALID_CODE = 'the authorization code is invalid, expired, revoked or was issued to another client';

type Outcome = { ok: true; prepared: PreparedTokens } | { ok: false; refusal: GrantRefusal };
type Refuse = (refusal: GrantRefusal, details?: Record<string, unknown>) => Outcome;

/** The `authorization_code` grant module for `handleTokenRequest`'s `grants`. */
export function authorizationCodeGrant<C extends RegisteredClient = RegisteredClient>(
  options: AuthorizationCodeGrantOptions,
): GrantModule<C, AuthorizationCodeTokenResponse> {
  const { codes, grants, audit, commit } = options;

  // RFC 6749 §4.1.2: the code was used before; revoke all tokens previously issued from it.
  const reuse = (stored: StoredAuthorizationCode, nowMs: number, refuse: Refuse): Outcome => {
    grants.revoke(stored.grant.grantId, 'authorization code reused', nowMs);
    return refuse(new GrantRefusal(new InvalidGrantError(INVALID_CODE), 'ERR_CODE_REUSED'), {
      grant_id: stored.grant.grantId,
      grant_revoked: true,
    });
  };

  const decide = (client: C, params: ReadonlyMap<string, string>, code: string, verifier: string): Outcome => {
    const nowMs = options.now();
    const refuse: Refuse = (refusal, details = {}) => {
      auditGrantRefusal(audit, AUTHORIZATION_CODE_AUDIT_TYPE, refusal, client.clientId, details);
      return { ok: false, refusal };
    };
    const invalid = (reason: string, description = INVALID_CODE) =>
      new GrantRefusal(new InvalidGrantError(description), reason);
    const stored = codes.find(code);
    if (stored === undefined) return refuse(invalid('ERR_CODE_UNKNOWN'));
    const details = { grant_id: stored.grant.grantId };
    if (stored.consumed) return reuse(stored, nowMs, refuse);
    // A code of another client is refused without being burnt: that client may not spend it for its owner.
    if (stored.grant.clientId !== client.clientId) return refuse(invalid('ERR_CODE_CLIENT_MISMATCH'), details);
    if (stored.expiresAt <= Math.floor(nowMs / 1000)) return refuse(invalid('ERR_CODE_EXPIRED'), details);
    if (grants.isRevoked(stored.grant.grantId)) return refuse(invalid('ERR_GRANT_REVOKED'), details);
    // RFC 6749 §4.1.3: redirect_uri identical to the authorization request's.
    if (params.get('redirect_uri') !== stored.redirectUri) {
      return refuse(
        invalid('ERR_REDIRECT_URI_MISMATCH', 'redirect_uri does not match the authorization request'),
        details,
      );
    }
    // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the code_challenge.
    if (!verifyS256CodeVerifier(verifier, stored.codeChallenge)) {
      return refuse(invalid('ERR_PKCE_VERIFIER_MISMATCH', 'code_verifier does not match the code_challenge'), details);
    }
    // RFC 8707 §2.2: a resource named here must be the one the code was issued for.
    const resource = params.get('resource');
    if (resource !== undefined && resource !== stored.grant.resource) {
      return refuse(
        new GrantRefusal(new InvalidTargetError('resource does not match the authorization'), 'ERR_RESOURCE_MISMATCH'),
        details,
      );
    }
    // Single use, decided last so that a refused attempt (wrong verifier, say) leaves the code to its client; the
    // store's atomic update settles a race between two redemptions.
    if (!codes.consume(code, nowMs)) return reuse(stored, nowMs, refuse);
    const prepared = recordInteractiveTokens(
      options,
      {
        grant: stored.grant,
        scope: stored.grant.scope,
        authorization: stored.grant.authorization,
        withRefreshToken: stored.issueRefreshToken,
      },
      nowMs,
    );
    audit.record({
      type: AUTHORIZATION_CODE_AUDIT_TYPE,
      outcome: 'allow',
      clientId: client.clientId,
      resource: stored.grant.resource,
      details: {
        ...details,
        account_id: stored.grant.account.accountId,
        scope: stored.grant.scope,
        access_token_jti: prepared.accessTokenJti,
        refresh_token_issued: prepared.refreshToken !== undefined,
      },
    });
    return { ok: true, prepared };
  };

  return {
    grantType: GRANT_TYPE_AUTHORIZATION_CODE,
    async handler({ params, client }) {
      const code = params.get('code');
      if (code === undefined) throw new InvalidRequestError('code is required');
      // RFC 6749 §4.1.3: required, because every authorization request here carries one.
      if (params.get('redirect_uri') === undefined) throw new InvalidRequestError('redirect_uri is required');
      // RFC 7636 §4.5: every code here was issued with an S256 challenge.
      const verifier = params.get('code_verifier');
      if (verifier === undefined) throw new InvalidRequestError('code_verifier is required (PKCE)');
      const outcome = await commit.submit(() => decide(client, params, code, verifier));
      if (!outcome.ok) throw markAudited(outcome.refusal.oauthError);
      return tokenResponse(options, outcome.prepared);
    },
  };
}
