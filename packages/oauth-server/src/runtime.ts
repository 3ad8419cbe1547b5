/**
 * `@ema/oauth-server/runtime`: what a Fastify server process needs around the protocol. Start-up and shutdown
 * (`runServer`, `drainOnClose`), the error boundary (one exit path for every error, RFC 6749 §5.2 bodies, nothing internal leaked),
 * the health check, pino settings with redaction, the environment readers, the configuration checks that fail
 * fast at boot, and the secrets an app generates for itself in its data directory.
 */
export { ConfigError } from './config/config-error.js';
export { checkAllowedHosts, checkAllowedOrigins } from './config/host-origin-extras.js';
export { type Environment, readEnvBoolean, readEnvInteger, readEnvList, readEnvString } from './config/read-env.js';
export { checkTransportSecurity, INSECURE_LOOPBACK_OPT_OUT, warnInsecureOptOut } from './config/transport-security.js';
export { checkTrustedProxies, trustProxyOption } from './config/trusted-proxies.js';
export { lazyChildLoggerFactory } from './logging/lazy-child-logger.js';
export { type LoggerOptions, type LoggerOptionsInput, loggerOptions } from './logging/logger-options.js';
export { drainOnClose } from './runtime/drain-on-close.js';
export { oauthErrorBoundary, sendOAuthError } from './runtime/error-boundary.js';
export { healthz } from './runtime/healthz.js';
export { type HostOriginCheckOptions, hostOriginCheck } from './runtime/host-origin-check.js';
export {
  createRateLimiter,
  type RateLimit,
  type RateLimitExceeded,
  type RateLimiter,
} from './runtime/rate-limiter.js';
export { type ListenConfig, type RunServerOptions, runServer, type ServerProcess } from './runtime/run-server.js';
export { generateSecret, readOrCreateSecretFile, writeSecretFile } from './runtime/secret-file.js';
