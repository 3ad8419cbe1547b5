/**
 * `@ema/oauth-server`: the framework-neutral core of the OAuth server kit shared by the IdP and the RAS. One error
 * class per RFC error code, client authentication, the token-endpoint pipeline, the token exchange that issues
 * ID-JAGs, the jwt-bearer grant that redeems them, and signing keys. Loads neither a web framework nor a database
 * driver; the adapters live under their own subpaths:
 *
 * - `@ema/oauth-server/fastify`: error boundary, token endpoint, form parser, health check;
 * - `@ema/oauth-server/sqlite`: signing-key storage on SQLite;
 * - `@ema/oauth-server/runtime`: process start-up, logging, environment readers, configuration checks.
 */

// The audit record the redemption writes (the `RedemptionAuditLog` seam), from `@ema/storage`.
export type { AuditEvent } from '@ema/storage';
// Client authentication (RFC 6749 §2.3.1)
export {
  type AuthenticateClientOptions,
  authenticateClient,
  type ClientAuthInput,
} from './client-auth/authenticate-client.js';
export { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-auth/client-secret.js';
export type { AuthenticatedClient, ClientAuthMethod, RegisteredClient } from './client-auth/registered-client.js';
// OAuth errors (one class per RFC error code)
export { OAuthError, type OAuthErrorOptions } from './errors/oauth-error.js';
export {
  AccessDeniedError,
  InsufficientScopeError,
  InvalidTokenError,
  RateLimitExceededError,
  ServerError,
  STORAGE_RETRY_AFTER_SECONDS,
  StorageUnavailableError,
  TemporarilyUnavailableError,
} from './errors/other-errors.js';
export { toOAuthError } from './errors/to-oauth-error.js';
export {
  InsufficientUserAuthenticationError,
  type InsufficientUserAuthenticationErrorOptions,
  InvalidClientError,
  type InvalidClientErrorOptions,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  UnsupportedTokenTypeError,
} from './errors/token-errors.js';
// The jwt-bearer grant: ID-JAG redemption (ID-JAG §4.4, RFC 7523)
export { type AccessTokenGrant, accessTokenClaims } from './grants/jwt-bearer/access-token-claims.js';
export { ASYMMETRIC_JWS_ALGORITHMS } from './grants/jwt-bearer/asymmetric-algorithms.js';
export { grantScopes } from './grants/jwt-bearer/grant-scopes.js';
export { type JwtBearerGrantOptions, jwtBearerGrant } from './grants/jwt-bearer/jwt-bearer-grant.js';
export {
  createIdJagRedemption,
  type IdJagRedemption,
  type IdJagRedemptionOptions,
  type RedemptionRequest,
  type RedemptionResult,
} from './grants/jwt-bearer/redeem-id-jag.js';
export { REDEMPTION_AUDIT_TYPE } from './grants/jwt-bearer/redemption-audit.js';
export type {
  AtomicCommit,
  ConsumedJti,
  ConsumedJtiStore,
  LocalAccount,
  RedemptionAuditLog,
  ResourceForClient,
  ResourceRegistry,
  SubjectIdentity,
  SubjectResolver,
} from './grants/jwt-bearer/redemption-storage.js';
export { RedemptionRefusal, type RefusalError, type RefusalReason } from './grants/jwt-bearer/refusal.js';
export { type SelectedResource, selectResource } from './grants/jwt-bearer/select-resource.js';
export {
  createTrustedIssuerLookup,
  type TrustedIdpEntry,
  type TrustedIdpRegistry,
  type TrustedIssuerLookupOptions,
} from './grants/jwt-bearer/trusted-issuers.js';
// Token exchange issuing ID-JAGs (RFC 8693, ID-JAG §4.3): the grant module and the seams an IdP provides
export {
  type ExchangePolicyDecision,
  type ExchangePolicyRequest,
  policyRefusal,
} from './grants/token-exchange/exchange-policy.js';
export { ExchangeRefusal } from './grants/token-exchange/exchange-refusal.js';
export type { ExchangeResource, ExchangeTarget } from './grants/token-exchange/exchange-target.js';
export { type IdJagGrant, type IssuedIdJag, issueIdJag } from './grants/token-exchange/issue-id-jag.js';
export type {
  ExchangeSubject,
  ExchangeUser,
  IdTokenRecord,
  RefreshTokenProblem,
  RefreshTokenSubject,
} from './grants/token-exchange/subject-token.js';
export { ID_JAG_EXCHANGE_AUDIT_TYPE, tokenExchangeGrant } from './grants/token-exchange/token-exchange-grant.js';
export type { TokenExchangeGrantOptions } from './grants/token-exchange/token-exchange-options.js';
export {
  readTokenExchangeParameters,
  type SubjectTokenType,
  type TokenExchangeParameters,
} from './grants/token-exchange/token-exchange-parameters.js';
// Host and Origin checks (DNS rebinding, cross-origin state changes)
export {
  checkHostAndOrigin,
  HOST_ORIGIN_REFUSAL_STATUS,
  type HostOriginPolicy,
  type HostOriginPolicyOptions,
  type HostOriginRefusal,
  type HostOriginRequest,
  hostOriginPolicy,
} from './host-origin/check-host-and-origin.js';
// Signing keys
export type { SigningAlgorithm } from './keys/generate-signing-key.js';
export { type JwksDocument, KeyStore, type KeyStoreOptions } from './keys/key-store.js';
export type { SigningKeyStorage, StoredSigningKey } from './keys/signing-key-storage.js';
// Token endpoint pipeline (RFC 6749 §3.2)
export { isAudited, markAudited } from './token-endpoint/audited-refusal.js';
export type { GrantModule, TokenRequestContext } from './token-endpoint/grant-module.js';
export {
  handleTokenRequest,
  type TokenEndpointOptions,
  type TokenRefusalContext,
  type TokenRequestInput,
  type TokenRequestResult,
} from './token-endpoint/handle-token-request.js';
export { NO_STORE_HEADERS } from './token-endpoint/no-store.js';
export { type ParseFormBodyOptions, parseFormBody } from './token-endpoint/parse-form-body.js';
