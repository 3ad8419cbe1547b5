/**
 * `@ema/ema-client`: the agent side of Enterprise-Managed Authorization for MCP, framework-neutral and UI-free. It
 * depends on `@ema/protocol`, web-platform APIs (fetch, URL, Headers, streams, WebCrypto) and the `dpop` library
 * (RFC 9449 proofs) only: no MCP SDK, no other JOSE library, no web framework. The MCP SDK integration is the separate `@ema/ema-client/mcp-sdk` entry.
 */
export { AccessTokenCache, type AccessTokenCacheOptions, type CachedAccessToken } from './access-token-cache.js';
export {
  type ClientAuthentication,
  type ClientCredentials,
  clientIdOnly,
  clientSecretBasic,
  clientSecretPost,
} from './client-authentication.js';
export type { EmaClientState } from './client-state.js';
export type { EmaClientOptions, EmaClientSettings, EmaUser, IdpClientSettings } from './configuration.js';
export {
  type AuthorizationServerDiscoveryOptions,
  type DiscoveredAuthorizationServer,
  discoverAuthorizationServer,
} from './discovery/authorization-server.js';
export {
  type AuthorizationDiscovery,
  chooseAuthorizationServer,
  type DiscoveryOptions,
  discoverAuthorization,
} from './discovery/discover-authorization.js';
export { DiscoveryCache } from './discovery/discovery-cache.js';
export {
  type DiscoveredProtectedResource,
  discoverProtectedResource,
  type ProtectedResourceDiscoveryOptions,
} from './discovery/protected-resource.js';
export { authorizationServerMetadataCandidates, protectedResourceMetadataCandidates } from './discovery/well-known.js';
export { type DpopProofSettings, dpopFetch } from './dpop/dpop-fetch.js';
export { createMemoryDpopKeys, type DpopKeyPair, type DpopKeys, generateDpopKeyPair } from './dpop/dpop-keys.js';
export { DpopNonceMemory } from './dpop/dpop-nonce-memory.js';
export { EmaClient } from './ema-client.js';
export {
  AccessRevokedError,
  ClientAuthenticationError,
  DiscoveryError,
  type DiscoveryErrorCode,
  EmaClientError,
  type EmaErrorCode,
  type FlowParty,
  GrantRefusedError,
  type IdJagCheckedClaim,
  IdJagMismatchError,
  InsecureUrlError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  InteractiveAuthorizationNotAllowedError,
  PolicyDenialError,
  ResponseTooLargeError,
  type StepUpRequest,
  SubjectTokenUnavailableError,
  TokenResponseError,
  UnknownAuthorizationServerError,
  UnreachableError,
} from './errors.js';
export { type AskedIdJag, checkIssuedIdJag } from './grants/check-id-jag.js';
export { type IdJagRedemption, type IssuedAccessToken, jwtBearerParams, redeemIdJag } from './grants/jwt-bearer.js';
export { type IdJagRequest, type IssuedIdJag, requestIdJag, type SubjectToken } from './grants/token-exchange.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './http/bounded-response.js';
export { DEFAULT_TIMEOUT_MS } from './http/observed-fetch.js';
export type {
  ExchangeLabel,
  ExchangeObserver,
  FetchLike,
  FlowStep,
  ObservedExchange,
  ObservedRequest,
  ObservedResponse,
} from './http/observer.js';
export { requireSecureUrl, type TransportSecurityOptions } from './http/transport-security.js';
export { scopesToRequest, unionScopes } from './scope-selection.js';
export { type AuthorizationOptions, type IdJagGrant, ServerAuthorization } from './server-authorization.js';
export { chooseSubjectToken, type SignInTokens } from './subject-token.js';
export { type BearerChallenge, parseBearerChallenge } from './www-authenticate.js';
