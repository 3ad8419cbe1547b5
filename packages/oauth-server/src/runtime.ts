/**
 * `@ema/oauth-server/runtime`: what a server process needs around the protocol. Start-up and shutdown
 * (`runServer`), pino settings with redaction, the environment readers and the configuration checks that fail fast
 * at boot.
 */
export { ConfigError } from './config/config-error.js';
export { type Environment, readEnvBoolean, readEnvInteger, readEnvList, readEnvString } from './config/read-env.js';
export { checkTransportSecurity, INSECURE_LOOPBACK_OPT_OUT, warnInsecureOptOut } from './config/transport-security.js';
export { lazyChildLoggerFactory } from './logging/lazy-child-logger.js';
export { type LoggerOptions, type LoggerOptionsInput, loggerOptions } from './logging/logger-options.js';
export { type ListenConfig, type RunServerOptions, runServer, type ServerProcess } from './runtime/run-server.js';
