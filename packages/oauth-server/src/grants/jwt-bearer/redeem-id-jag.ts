/**
 * The jwt-bearer grant's decision logic (ID-JAG §4.4.1 steps 2-11, RFC 7523 §3, EMA §7), neutral to framework and
 * storage: it takes the already-authenticated client and the request parameters and returns an access token or a
 * refusal. Client authentication (step 1) is the token endpoint pipeline's job; storage is reached through the
 * interfaces of `redemption-storage.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mintAccessToken, type Signer } from '@ema/jwt';
import type { AuthorizationDetails } from '@ema/protocol';
import { createIdJagAcceptance, type IdJagAcceptanceOptions } from './accept-id-jag.js';
import { accessTokenClaims } from './access-token-claims.js';
import { REDEMPTION_AUDIT_TYPE } from './redemption-audit.js';
import type { LocalAccount } from './redemption-storage.js';

/** Configuration and storage of {@link createIdJagRedemption}; build it once, not per request. */
export interface IdJagRedemptionOptions<A extends LocalAccount = LocalAccount>
  extends Omit<IdJagAcceptanceOptions<A>, 'auditType'> {
  accessTokenTtlSeconds: number;
  /** The current access-token signing key (e.g. `() => keyStore.signer()`). */
  signer: () => Signer;
  /** The access token's `jti` (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** One jwt-bearer request, after client authentication. */
export interface RedemptionRequest {
  assertion: string;
  clientId: string;
  /** The `scope` request parameter, or `undefined` when absent or empty. */
  scope: string | undefined;
  /** The `resource` request parameter (RFC 8707), or `undefined`. */
  resource: string | undefined;
  /** The `authorization_details` request parameter (RFC 9396 §6.2), parsed, or `undefined`. */
  authorizationDetails?: AuthorizationDetails | undefined;
  /** RFC 9449 §5: the thumbprint of the request's DPoP key; the access token is then bound to it (`cnf.jkt`). */
  dpopJkt?: string | undefined;
}

/** A successful redemption. */
export interface RedemptionResult<A extends LocalAccount = LocalAccount> {
  accessToken: string;
  expiresIn: number;
  scope: string;
  /** RFC 9396 §7: the granted authorization details, for the token response; `undefined` when none. */
  authorizationDetails?: AuthorizationDetails | undefined;
  accessTokenJti: string;
  account: A;
  /** RFC 9449 §6.1: the thumbprint the access token is bound to (`token_type` DPoP), or `undefined` for Bearer. */
  jkt?: string | undefined;
}

/** Redeems one ID-JAG; rejects with a {@link RedemptionRefusal} (already audited) or, for a storage failure, its error. */
export type IdJagRedemption<A extends LocalAccount = LocalAccount> = (
  request: RedemptionRequest,
) => Promise<RedemptionResult<A>>;

/** Builds the redemption function; everything that can be prepared once is prepared here. */
export function createIdJagRedemption<A extends LocalAccount>(options: IdJagRedemptionOptions<A>): IdJagRedemption<A> {
  const accept = createIdJagAcceptance<A>({ ...options, auditType: REDEMPTION_AUDIT_TYPE });
  const newId = options.newId ?? randomUUID;

  return async (request) => {
    const accessTokenJti = newId();
    // Steps 2-11; the allow record names the access token about to be minted.
    const accepted = await accept({ ...request, allowAuditDetails: { access_token_jti: accessTokenJti } });
    // After the jti is consumed nothing may refuse: signing uses an in-memory key. Should it still fail, the request
    // is a server_error and the client mints a new ID-JAG.
    const accessToken = await mintAccessToken(
      accessTokenClaims(options.issuer, options.accessTokenTtlSeconds, {
        account: accepted.account,
        idJag: accepted.claims,
        clientId: request.clientId,
        resource: accepted.resource,
        scope: accepted.scope,
        authorizationDetails: accepted.authorizationDetails,
        jti: accessTokenJti,
        iat: Math.floor(accepted.nowMs / 1000),
        jkt: request.dpopJkt,
      }),
      options.signer(),
    );
    return {
      accessToken,
      expiresIn: options.accessTokenTtlSeconds,
      scope: accepted.scope,
      authorizationDetails: accepted.authorizationDetails,
      accessTokenJti,
      account: accepted.account,
      jkt: request.dpopJkt,
    };
  };
}
