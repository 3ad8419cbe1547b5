/**
 * The token endpoint's grants of the interactive path, over this server's SQLite storage: the authorization code
 * grant and the refresh token grant of `@ema/oauth-server`. Each refresh asks the organization again (identity
 * chaining with the IdP refresh token this server received at sign-in): a policy change or a disabled user ends the
 * grant at its next refresh, as it would end an agent's next token exchange.
 */
import {
  type AuthorizationGrant,
  authorizationCodeGrant,
  type GrantModule,
  type InteractiveTokenOptions,
  type Reauthorization,
  type RegisteredClient,
  refreshTokenGrant,
  TemporarilyUnavailableError,
} from '@ema/oauth-server';
import { type AuthorizationCodeTokenResponse, parseScope, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { organizationDecision } from './identity-chaining.js';
import { IdpUnavailableError } from './idp-relying-party.js';
import type { InteractiveContext } from './interactive-context.js';

/** Builds the two grant modules once. */
export function interactiveGrants(
  interactive: InteractiveContext,
): GrantModule<RegisteredClient, AuthorizationCodeTokenResponse>[] {
  const { config, storage, keyStore, now } = interactive.ras;
  const { grants } = storage.interactive;
  const tokens: InteractiveTokenOptions = {
    issuer: config.issuer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.interactive.refreshTokenTtlSeconds,
    grants: grants.grants,
    refreshTokens: grants.refreshTokens,
    signer: () => keyStore.signer(),
  };
  const shared = { ...tokens, audit: storage.audit, commit: storage.groupCommit, now };

  const reauthorize = async (grant: AuthorizationGrant, scope: string): Promise<Reauthorization> => {
    const idpRefreshToken = grants.idpRefreshToken(grant.grantId);
    // Without a way to ask the organization again, the grant cannot be extended.
    if (idpRefreshToken === undefined) return { ok: false, reason: 'ERR_NO_IDP_REFRESH_TOKEN' };
    try {
      const outcome = await interactive.chain({
        subjectToken: idpRefreshToken,
        subjectTokenType: TOKEN_TYPE_REFRESH_TOKEN,
        resource: grant.resource,
        scopes: parseScope(scope),
        clientId: grant.clientId,
      });
      if (!outcome.ok) return { ok: false, reason: `ERR_REAUTHORIZATION_${outcome.error.toUpperCase()}` };
      return { ok: true, scope: outcome.accepted.scope, authorization: organizationDecision(outcome.accepted.claims) };
    } catch (error) {
      // The refresh token stays unused: the client may try again once the IdP answers.
      if (error instanceof IdpUnavailableError) {
        throw new TemporarilyUnavailableError('the organization cannot be asked right now', { cause: error });
      }
      throw error;
    }
  };

  return [
    authorizationCodeGrant<RegisteredClient>({ ...shared, codes: grants.codes }),
    refreshTokenGrant<RegisteredClient>({ ...shared, reauthorize }),
  ];
}
