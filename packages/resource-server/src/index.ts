/**
 * `@ema/resource-server`: what a resource server (an MCP server) needs to accept the access tokens of its
 * authorization server, framework-neutral: bearer extraction and RFC 9068 verification, the verified principal,
 * RFC 9728 protected resource metadata, scope checks, and the RFC 6750 §3 refusals as values. The Fastify adapter
 * is the `./fastify` subpath; nothing here imports a framework or the MCP SDK.
 */

export {
  type AccessTokenAuthInfo,
  AccessTokenPrincipal,
  type SessionOwner,
} from './access-token-principal.js';
export {
  type AuthenticationRequirement,
  type AuthenticationShortfall,
  authenticationShortfall,
  findAuthenticationShortfall,
  type ToolAuthentication,
} from './authentication-requirement.js';
export {
  type AuthorizationDetailRequirement,
  authorizationDetailsPermit,
  permittedIdentifiers,
  type ToolAuthorizationDetail,
  type ToolAuthorizationDetails,
  toolAuthorizationDetailRequirement,
} from './authorization-details.js';
export {
  type BearerRefusal,
  bearerRefusal,
  type ChallengeParameters,
  insufficientScopeRefusal,
  insufficientUserAuthenticationRefusal,
} from './bearer-refusal.js';
export { type BearerRequest, extractAccessToken, extractBearerToken, type PresentedToken } from './bearer-token.js';
export { type DpopChallenge, formatDpopChallenge } from './dpop/dpop-challenge.js';
export { DpopRefusalError } from './dpop/dpop-refusal-error.js';
export type { ResourceDpopOptions } from './dpop/resource-dpop-options.js';
export { NoBearerTokenError } from './no-bearer-token-error.js';
export {
  type ProtectedResourceMetadataInput,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataPaths,
  protectedResourceMetadataUrl,
} from './protected-resource-metadata.js';
export { type Revocation, RevocationList, type RevocationReason } from './revocation-list.js';
export { findScopeShortfall, type ScopeShortfall, scopeShortfall, type ToolScopes } from './scope-shortfall.js';
export {
  type VerifiedToken,
  VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from './verified-token-cache.js';
export { type VerifyBearerTokenOptions, verifyBearerToken } from './verify-bearer-token.js';
export { type BearerChallenge, formatBearerChallenge } from './www-authenticate.js';
