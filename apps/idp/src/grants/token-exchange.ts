import type { RefreshTokenProblem, RefreshTokenSubject, TokenExchangeGrantOptions } from '@ema/oauth-server';
import { acrValuesFor, evaluatePolicy } from '@ema/policy';
import type { IdpContext } from '../idp-context.js';
import { ACR_CLASSES, acrOfMethods } from '../oidc/authentication-context.js';
import type { IdpClient, ProtectedResource, User } from '../storage/directory-types.js';
import { generateTimeOrderedId } from '../tokens/opaque-token.js';
import { checkRefreshToken } from './refresh-token.js';

/**
 * The IdP's side of the token exchange that issues ID-JAGs (`tokenExchangeGrant` of `@ema/oauth-server` runs the
 * profile's checks): its issuer and keys, its records of clients, users, ID tokens, refresh tokens and resources,
 * its admin policy (`@ema/policy` over the stored rules), its ACR classes (`ACR_CLASSES`), and its audit log.
 * Built once.
 */
export function tokenExchangeOptions(
  context: IdpContext,
): TokenExchangeGrantOptions<IdpClient, User, ProtectedResource> {
  const { config, storage, keyStore } = context;
  return {
    issuer: config.issuer,
    idJagTtlSeconds: config.idJagTtlSeconds,
    mayRequestIdJag: (client) => client.mayRequestIdJag,
    idTokenKeys: keyStore.keys(),
    findIdTokenRecord: (jti) => storage.findIdToken(jti),
    checkRefreshToken: (token, clientId) => refreshTokenSubject(context, token, clientId),
    findUser: (userId) => storage.findUserById(userId),
    findResource: (resource) => storage.findResourceByIdentifier(resource),
    clientIdAtAudience: (client, audience) => client.rasClientIds[audience],
    policy: ({ client, subject, resource, requestedScopes, now }) =>
      evaluatePolicy({
        user: subject.user,
        clientId: client.clientId,
        resource,
        requestedScopes,
        authentication: { authTime: subject.authTime, amr: subject.amr },
        rules: storage.policyRulesForResource(resource.id),
        now,
      }),
    acrValues: (methods) => acrValuesFor(methods, ACR_CLASSES),
    signer: () => keyStore.signer(),
    newJti: () => generateTimeOrderedId('jag'),
    audit: context.audit,
    now: context.now,
  };
}

function refreshTokenSubject(
  context: IdpContext,
  token: string,
  clientId: string,
): RefreshTokenSubject | RefreshTokenProblem {
  const checked = checkRefreshToken(context, token, clientId);
  if (typeof checked === 'string') return checked;
  const { grant } = checked;
  return {
    tokenId: checked.token.id,
    userId: grant.userId,
    scope: grant.scope,
    authTime: grant.authTime,
    amr: grant.amr,
    sessionId: grant.sessionId ?? undefined,
    acr: acrOfMethods(grant.amr),
  };
}
