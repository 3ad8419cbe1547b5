/**
 * `@ema/jwt`: the JWT validators, signers and key resolvers of Enterprise-Managed Authorization for MCP, on jose.
 * Framework-neutral: no HTTP framework is imported here.
 */
export { decodeUnverified } from './decode-unverified.js';
export { type JwtErrorCode, JwtValidationError, type JwtValidationErrorOptions } from './errors.js';
export type { KeyResolver } from './key-resolver.js';
export type { ProtectedHeader, VerifyCommonOptions } from './lib/verify-options.js';
export { localJwks } from './local-jwks.js';
export { createRemoteJwks, type RemoteJwks, type RemoteJwksOptions } from './remote-jwks.js';
export { mintAccessToken, mintIdJag, mintIdToken, mintSecurityEventToken, type Signer } from './sign.js';
export { type VerifiedAccessToken, type VerifyAccessTokenOptions, verifyAccessToken } from './verify-access-token.js';
export { type TrustedIssuer, type VerifiedIdJag, type VerifyIdJagOptions, verifyIdJag } from './verify-id-jag.js';
export { type VerifiedIdToken, type VerifyIdTokenOptions, verifyIdToken } from './verify-id-token.js';
export {
  type VerifiedSecurityEventToken,
  type VerifySecurityEventTokenOptions,
  verifySecurityEventToken,
} from './verify-security-event-token.js';
