/**
 * `@ema/oauth-server`: the OAuth server kit shared by the IdP and the RAS. A framework-neutral core (errors,
 * client authentication, the token-endpoint pipeline, signing keys, SQLite storage, audit log) plus thin
 * Fastify plugins (error boundary, token endpoint, form parser, healthz).
 */

// Audit log
export type { AuditEvent, AuditLog, AuditQuery, AuditRecord } from './audit/audit-log.js';
export {
  auditCompactMigration,
  auditMigration,
  auditMigrations,
  createSqliteAuditLog,
  type SqliteAuditLogOptions,
} from './audit/sqlite-audit-log.js';
// Client authentication (RFC 6749 §2.3.1)
export {
  type AuthenticateClientOptions,
  authenticateClient,
  type ClientAuthInput,
} from './client-auth/authenticate-client.js';
export { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-auth/client-secret.js';
export type { AuthenticatedClient, ClientAuthMethod, RegisteredClient } from './client-auth/registered-client.js';
// Configuration and transport security
export { ConfigError } from './config/config-error.js';
export { type Environment, readEnvBoolean, readEnvInteger, readEnvList, readEnvString } from './config/read-env.js';
export { checkTransportSecurity, INSECURE_LOOPBACK_OPT_OUT, warnInsecureOptOut } from './config/transport-security.js';
// OAuth errors (one class per RFC error code)
export { OAuthError, type OAuthErrorOptions } from './errors/oauth-error.js';
export {
  AccessDeniedError,
  InsufficientScopeError,
  InvalidTokenError,
  ServerError,
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
// Fastify adapters
export { oauthErrorBoundary, sendOAuthError } from './fastify/error-boundary.js';
export { type FormBodyParserOptions, formBodyParser } from './fastify/form-body-parser.js';
export { healthz } from './fastify/healthz.js';
export { oauthErrorResponseSchema } from './fastify/oauth-error-schema.js';
export { type ListenConfig, type RunServerOptions, runServer, type ServerProcess } from './fastify/run-server.js';
export { type TokenEndpointPluginOptions, tokenEndpoint } from './fastify/token-endpoint.js';
// Signing keys
export type { SigningAlgorithm } from './keys/generate-signing-key.js';
export { type JwksDocument, KeyStore, type KeyStoreOptions } from './keys/key-store.js';
export type { SigningKeyStorage, StoredSigningKey } from './keys/signing-key-storage.js';
export {
  createSqliteSigningKeyStorage,
  signingKeyMigrations,
  signingKeysMigration,
  signingKeysNextMigration,
} from './keys/sqlite-signing-key-storage.js';
// Logging
export { lazyChildLoggerFactory } from './logging/lazy-child-logger.js';
export { type LoggerOptions, type LoggerOptionsInput, loggerOptions } from './logging/logger-options.js';
// Storage base
export type { Database, Migration } from './storage/database.js';
export {
  afterNextPoll,
  createGroupCommit,
  type GroupCommit,
  type GroupCommitOptions,
  type WriteTransaction,
} from './storage/group-commit.js';
export { type OpenDatabaseOptions, openDatabase } from './storage/open-database.js';
export { watchOtherConnectionCommits } from './storage/other-connection-commits.js';
export { resolveDataDir } from './storage/resolve-data-dir.js';
export { CHECKPOINT_INTERVAL_MS, startWalCheckpointer, type WalCheckpointer } from './storage/wal-checkpointer.js';
// Token endpoint pipeline (RFC 6749 §3.2)
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
