import type { KeyResolver, Signer } from '@ema/jwt';
import type { AuditLog } from '@ema/storage';
import type { RegisteredClient } from '../../client-auth/registered-client.js';
import type { ExchangePolicyDecision, ExchangePolicyRequest } from './exchange-policy.js';
import type { ExchangeResource } from './exchange-target.js';
import type { ExchangeUser, IdTokenRecord, RefreshTokenProblem, RefreshTokenSubject } from './subject-token.js';

/**
 * What an IdP gives {@link tokenExchangeGrant}: its identity, its records, its policy and its keys. The grant runs
 * the checks; these seams only look things up. Build it once at start-up: the grant keeps it for every request.
 * Every lookup is synchronous and on the hot path (one per request at most): keep it in memory or one indexed read.
 */
export interface TokenExchangeGrantOptions<
  C extends RegisteredClient,
  U extends ExchangeUser,
  R extends ExchangeResource,
> {
  /** This IdP's issuer: the `iss` of the ID tokens it accepts as subject tokens and of the ID-JAGs it mints. */
  readonly issuer: string;
  /** Lifetime of an ID-JAG, seconds: its `exp - iat` and the response's `expires_in`. */
  readonly idJagTtlSeconds: number;

  /** Step 1: whether the authenticated client may obtain ID-JAGs at all (else `unauthorized_client`). */
  readonly mayRequestIdJag: (client: C) => boolean;

  /** Step 3: the keys of this IdP's own ID tokens (current, next and retired ones), e.g. `KeyStore.keys()`. */
  readonly idTokenKeys: KeyResolver;
  /** Step 3: the `alg` allow-list of those ID tokens (default `DEFAULT_ALGORITHMS` of `@ema/protocol`). */
  readonly idTokenAlgorithms?: readonly string[];
  /**
   * Step 3: the record of an ID token this IdP issued, by `jti`, so that revoking its grant or disabling its user
   * stops it (RFC 6749 §4.1.2, RFC 9700 §4.14.2). `undefined` when there is none: the token is refused.
   */
  readonly findIdTokenRecord: (jti: string) => IdTokenRecord | undefined;
  /**
   * Step 3: a presented refresh token of `clientId`, checked as the refresh grant checks it (known, that client's,
   * not rotated, unexpired, grant unrevoked; reuse of a rotated one revokes its family), without rotating it.
   */
  readonly checkRefreshToken: (token: string, clientId: string) => RefreshTokenSubject | RefreshTokenProblem;
  /** Step 3: the user a subject token is about, by `sub`. */
  readonly findUser: (userId: string) => U | undefined;

  /** Step 4: the resource the IdP knows by its `resource` identifier. */
  readonly findResource: (resource: string) => R | undefined;
  /** Step 4: the client's id at the RAS `audience` (the ID-JAG's `client_id`, ID-JAG §3), if it has one. */
  readonly clientIdAtAudience: (client: C, audience: string) => string | undefined;

  /** Step 5: the admin policy decision, for example `@ema/policy`'s `evaluatePolicy` over the IdP's rules. */
  readonly policy: (request: ExchangePolicyRequest<C, U, R>) => ExchangePolicyDecision;
  /**
   * Step 5: the `acr_values` asking a sign-in for a set of authentication methods (RFC 8176 `amr` values), hinted
   * when a step-up sign-in must use them (RFC 9470 §3), for example `acrValuesFor` of `@ema/policy` over the IdP's
   * classes. OIDC leaves the vocabulary to the parties; without it (or when it has no answer), no `acr_values`.
   */
  readonly acrValues?: (methods: readonly string[]) => string | undefined;

  /** Step 6: the current signing key (called once per ID-JAG, so a rotation applies at once). */
  readonly signer: () => Signer;
  /** Step 6: a fresh, unguessable `jti` (default `crypto.randomUUID`). */
  readonly newJti?: () => string;

  /** Every decision's record; the answer waits for its commit. */
  readonly audit: Pick<AuditLog, 'recordCommitted'>;
  /** Clock in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}
