/**
 * The refresh token grant (RFC 6749 §6) as a grant module, neutral to framework and storage, with rotation and reuse
 * detection (RFC 9700 §4.14.2, OAuth 2.1 §4.3.1: required for public clients): every use returns a new refresh token
 * and retires the presented one; presenting a retired one revokes the whole family, since one of its two holders is
 * not the client. Before rotating, the server may ask again whether the grant still holds (`reauthorize`): at the RAS
 * the organization's policy is consulted again, so a refresh never outlives the organization's permission.
 */
import { type AuthorizationCodeTokenResponse, formatScope, GRANT_TYPE_REFRESH_TOKEN, parseScope } from '@ema/protocol';
import type { RegisteredClient } from '../../client-auth/registered-client.js';
import {
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
} from '../../errors/token-errors.js';
import { markAudited } from '../../token-endpoint/audited-refusal.js';
import type { GrantModule } from '../../token-endpoint/grant-module.js';
import type { AccessTokenAuthorization } from '../jwt-bearer/access-token-claims.js';
import type { AtomicCommit, RedemptionAuditLog } from '../jwt-bearer/redemption-storage.js';
import type { AuthorizationGrant, RefreshTokenStore, StoredRefreshToken } from './authorization-grant-storage.js';
import { auditGrantRefusal, GrantRefusal } from './grant-refusal.js';
import {
  type InteractiveTokenOptions,
  type PreparedTokens,
  recordInteractiveTokens,
  tokenResponse,
} from './issue-interactive-tokens.js';

/** The audit type of every refresh token request, allowed or refused. */
export const REFRESH_TOKEN_AUDIT_TYPE = 'refresh_token.rotation';

/** What `reauthorize` answers: the scopes that still hold and the decision they rest on, or a refusal reason. */
export type Reauthorization =
  | { ok: true; scope: string; authorization: AccessTokenAuthorization }
  | { ok: false; reason: string };

/** Options of {@link refreshTokenGrant}. */
export interface RefreshTokenGrantOptions extends InteractiveTokenOptions {
  refreshTokens: RefreshTokenStore;
  audit: RedemptionAuditLog;
  commit: AtomicCommit;
  /** Epoch milliseconds. */
  now: () => number;
  /**
   * Asks whether the grant still holds for `scope` (at the RAS: a new ID-JAG from the IdP). A refusal revokes the
   * family; an exception (the IdP unreachable) leaves the refresh token unused. Without it the grant's own scope holds.
   */
  reauthorize?: (grant: AuthorizationGrant, scope: string) => Promise<Reauthorization>;
}

const INVALID_TOKEN = 'the refresh token is invalid, expired, revoked or was issued to another client';

type Outcome = { ok: true; prepared: PreparedTokens } | { ok: false; refusal: GrantRefusal };

/** The `refresh_token` grant module for `handleTokenRequest`'s `grants`. */
export function refreshTokenGrant<C extends RegisteredClient = RegisteredClient>(
  options: RefreshTokenGrantOptions,
): GrantModule<C, AuthorizationCodeTokenResponse> {
  const { refreshTokens, grants, audit, commit } = options;
  const invalid = (reason: string) => new GrantRefusal(new InvalidGrantError(INVALID_TOKEN), reason);

  const refused = async (refusal: GrantRefusal, clientId: string, work?: () => Record<string, unknown>) => {
    await commit.submit(() => auditGrantRefusal(audit, REFRESH_TOKEN_AUDIT_TYPE, refusal, clientId, work?.()));
    return markAudited(refusal.oauthError);
  };

  // What can be judged from the stored token alone (read-only; the rotation below re-checks under the lock).
  const check = (client: C, token: string, nowMs: number): StoredRefreshToken | GrantRefusal => {
    const stored = refreshTokens.find(token);
    if (stored === undefined) return invalid('ERR_REFRESH_TOKEN_UNKNOWN');
    if (stored.grant.clientId !== client.clientId) return invalid('ERR_REFRESH_TOKEN_CLIENT_MISMATCH');
    if (stored.rotated) return invalid('ERR_REFRESH_TOKEN_REUSED');
    if (grants.isRevoked(stored.grant.grantId)) return invalid('ERR_GRANT_REVOKED');
    if (stored.expiresAt <= Math.floor(nowMs / 1000)) return invalid('ERR_REFRESH_TOKEN_EXPIRED');
    return stored;
  };

  return {
    grantType: GRANT_TYPE_REFRESH_TOKEN,
    async handler({ params, client }) {
      const token = params.get('refresh_token');
      if (token === undefined) throw new InvalidRequestError('refresh_token is required');
      const checked = check(client, token, options.now());
      if (checked instanceof GrantRefusal) {
        const grantId = refreshTokens.find(token)?.grant.grantId;
        throw await refused(checked, client.clientId, () => {
          // RFC 9700 §4.14.2: a rotated token presented again revokes the family.
          if (checked.reason !== 'ERR_REFRESH_TOKEN_REUSED' || grantId === undefined) return {};
          grants.revoke(grantId, 'refresh token reused', options.now());
          return { grant_id: grantId, grant_revoked: true };
        });
      }
      const { grant } = checked;
      const details = { grant_id: grant.grantId };

      // RFC 6749 §6: a narrower scope may be asked for, never one the grant does not hold.
      const requested = params.get('scope');
      const granted = parseScope(grant.scope);
      if (requested !== undefined && !parseScope(requested).every((scope) => granted.includes(scope))) {
        const refusal = new GrantRefusal(
          new InvalidScopeError('scope exceeds the original grant'),
          'ERR_SCOPE_EXCEEDS_GRANT',
        );
        throw await refused(refusal, client.clientId, () => details);
      }
      // RFC 8707 §2.2: the resource, when named, is the grant's one resource.
      const resource = params.get('resource');
      if (resource !== undefined && resource !== grant.resource) {
        const refusal = new GrantRefusal(
          new InvalidTargetError('resource does not match the grant'),
          'ERR_RESOURCE_MISMATCH',
        );
        throw await refused(refusal, client.clientId, () => details);
      }
      let scope = requested === undefined ? grant.scope : formatScope(parseScope(requested));
      let authorization = grant.authorization;
      if (options.reauthorize !== undefined) {
        const answer = await options.reauthorize(grant, scope);
        if (!answer.ok) {
          // The organization no longer grants it: the whole family ends.
          throw await refused(invalid(answer.reason), client.clientId, () => {
            grants.revoke(grant.grantId, `reauthorization refused: ${answer.reason}`, options.now());
            return { ...details, grant_revoked: true };
          });
        }
        const still = parseScope(answer.scope);
        scope = formatScope(parseScope(scope).filter((entry) => still.includes(entry)));
        authorization = answer.authorization;
        if (scope === '') {
          throw await refused(invalid('ERR_NO_GRANTABLE_SCOPE'), client.clientId, () => {
            grants.revoke(grant.grantId, 'no scope still granted', options.now());
            return { ...details, grant_revoked: true };
          });
        }
      }

      const outcome = await commit.submit((): Outcome => {
        const nowMs = options.now();
        const refuse = (refusal: GrantRefusal, extra: Record<string, unknown> = {}): Outcome => {
          auditGrantRefusal(audit, REFRESH_TOKEN_AUDIT_TYPE, refusal, client.clientId, { ...details, ...extra });
          return { ok: false, refusal };
        };
        // Atomic: of two requests presenting the same token, one rotates it; the other is reuse.
        if (!refreshTokens.rotate(token, nowMs)) {
          grants.revoke(grant.grantId, 'refresh token reused', nowMs);
          return refuse(invalid('ERR_REFRESH_TOKEN_REUSED'), { grant_revoked: true });
        }
        if (grants.isRevoked(grant.grantId)) return refuse(invalid('ERR_GRANT_REVOKED'));
        const prepared = recordInteractiveTokens(
          options,
          { grant, scope, authorization, withRefreshToken: true },
          nowMs,
        );
        audit.record({
          type: REFRESH_TOKEN_AUDIT_TYPE,
          outcome: 'allow',
          clientId: client.clientId,
          resource: grant.resource,
          details: {
            ...details,
            account_id: grant.account.accountId,
            scope,
            access_token_jti: prepared.accessTokenJti,
            id_jag_jti: authorization.jti,
          },
        });
        return { ok: true, prepared };
      });
      if (!outcome.ok) throw markAudited(outcome.refusal.oauthError);
      return tokenResponse(options, outcome.prepared);
    },
  };
}
