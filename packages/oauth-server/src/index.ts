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
// The authorization endpoint (RFC 6749 §4.1, RFC 7636, RFC 8707, RFC 8252 §7.3, RFC 9207)
export {
  type AuthorizationClient,
  type AuthorizationErrorCode,
  type AuthorizationParameters,
  type AuthorizationRequest,
  type AuthorizationRequestOutcome,
  type AuthorizationResource,
  type AuthorizationResourceLookup,
  type RedirectedAuthorizationError,
  readAuthorizationClientId,
  type ShownAuthorizationError,
  validateAuthorizationRequest,
} from './authorization/authorization-request.js';
export {
  type AuthorizationErrorResult,
  type AuthorizationSuccess,
  authorizationResponseUrl,
} from './authorization/authorization-response.js';
export { isS256CodeChallenge, s256CodeChallenge, verifyS256CodeVerifier } from './authorization/pkce.js';
export {
  isLoopbackIpRedirectUri,
  isLoopbackRedirectUri,
  matchRedirectUri,
  redirectUriProblem,
} from './authorization/redirect-uri.js';
export {
  type AuthenticateClientOptions,
  authenticateClient,
  type ClientAuthInput,
} from './client-auth/authenticate-client.js';
// Client authentication (RFC 6749 §2.3.1; public clients, RFC 7591 §2 `none`)
export { authenticatePublicClient } from './client-auth/authenticate-public-client.js';
export { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-auth/client-secret.js';
export type { AuthenticatedClient, ClientAuthMethod, RegisteredClient } from './client-auth/registered-client.js';
// Client registration: Client ID Metadata Documents (MCP-AUTH 2025-11-25) and Dynamic Client Registration (RFC 7591)
export { type AddressPolicy, isPermittedAddress } from './client-registration/address-policy.js';
export {
  isClientIdMetadataDocumentUrl,
  MAX_CLIENT_ID_URL_LENGTH,
  parseClientIdUrl,
} from './client-registration/client-id-url.js';
export {
  ClientMetadataError,
  type ClientMetadataErrorCode,
  type ClientMetadataSource,
  type TokenEndpointAuthMethod,
  type ValidatedClientMetadata,
  validateClientMetadata,
} from './client-registration/client-metadata.js';
export {
  type FetchedMetadataDocument,
  type FetchMetadataDocumentOptions,
  fetchMetadataDocument,
  type ResolveHost,
} from './client-registration/fetch-metadata-document.js';
export {
  MetadataDocumentError,
  type MetadataDocumentErrorCode,
} from './client-registration/metadata-document-error.js';
export {
  clientMetadataResponse,
  type DynamicClient,
  type DynamicClientStore,
  type RegisterClientOptions,
  registerClient,
} from './client-registration/register-client.js';
export {
  createMetadataDocumentResolver,
  type MetadataDocumentCache,
  type MetadataDocumentClient,
  type MetadataDocumentResolver,
  type MetadataDocumentResolverOptions,
} from './client-registration/resolve-metadata-document.js';
// Token endpoint pipeline (RFC 6749 §3.2), with its DPoP step (RFC 9449 §5)
export {
  type DpopServerSettings,
  type TokenEndpointDpopParts,
  tokenEndpointDpop,
} from './dpop/dpop-server-settings.js';
export {
  checkTokenRequestProof,
  type DpopBinding,
  type TokenEndpointDpopOptions,
} from './dpop/token-request-proof.js';
export { InvalidDpopProofError, UseDpopNonceError } from './errors/dpop-errors.js';
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
  InvalidAuthorizationDetailsError,
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
// The authorization code and refresh token grants (RFC 6749 §4.1.3 and §6, RFC 7636, RFC 9700 §4.14)
export {
  AUTHORIZATION_CODE_AUDIT_TYPE,
  type AuthorizationCodeGrantOptions,
  authorizationCodeGrant,
} from './grants/authorization-code/authorization-code-grant.js';
export type {
  AuthorizationCodeStore,
  AuthorizationGrant,
  GrantFamilyStore,
  RefreshTokenStore,
  StoredAuthorizationCode,
  StoredRefreshToken,
} from './grants/authorization-code/authorization-grant-storage.js';
export { GrantRefusal } from './grants/authorization-code/grant-refusal.js';
export type { InteractiveTokenOptions } from './grants/authorization-code/issue-interactive-tokens.js';
export {
  REFRESH_TOKEN_AUDIT_TYPE,
  type Reauthorization,
  type RefreshTokenGrantOptions,
  refreshTokenGrant,
} from './grants/authorization-code/refresh-token-grant.js';
// The jwt-bearer grant: ID-JAG redemption (ID-JAG §4.4, RFC 7523)
export {
  type AcceptanceRequest,
  type AcceptedIdJag,
  createIdJagAcceptance,
  type IdJagAcceptance,
  type IdJagAcceptanceOptions,
} from './grants/jwt-bearer/accept-id-jag.js';
export {
  type AccessTokenAuthorization,
  type AccessTokenGrant,
  accessTokenClaims,
} from './grants/jwt-bearer/access-token-claims.js';
export { ASYMMETRIC_JWS_ALGORITHMS } from './grants/jwt-bearer/asymmetric-algorithms.js';
export {
  type AuthorizationDetailsInput,
  type AuthorizationDetailType,
  grantAuthorizationDetails,
} from './grants/jwt-bearer/authorization-details.js';
export { grantScopes } from './grants/jwt-bearer/grant-scopes.js';
export {
  ID_JAG_CLAIMS,
  type IdJagClaimHandling,
  type IdJagClaimRule,
  refuseUnsupportedClaims,
} from './grants/jwt-bearer/id-jag-claims.js';
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
  CutOffQuery,
  LocalAccount,
  RedemptionAuditLog,
  ResourceForClient,
  ResourceRegistry,
  RevocationCutOffs,
  SubjectIdentity,
  SubjectResolver,
} from './grants/jwt-bearer/redemption-storage.js';
export { RedemptionRefusal, type RefusalError, type RefusalReason } from './grants/jwt-bearer/refusal.js';
export { parseRequestedAuthorizationDetails } from './grants/jwt-bearer/requested-authorization-details.js';
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
