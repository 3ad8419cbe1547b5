/**
 * `@ema/oauth-server/fastify`: thin Fastify adapters over the neutral core. The error boundary (one exit path for
 * every error, RFC 6749 §5.2 bodies), the token endpoint, the form-body parser and the health check.
 */
export { oauthErrorBoundary, sendOAuthError } from './fastify/error-boundary.js';
export { type FormBodyParserOptions, formBodyParser } from './fastify/form-body-parser.js';
export { healthz } from './fastify/healthz.js';
export { oauthErrorResponseSchema } from './fastify/oauth-error-schema.js';
export { type TokenEndpointPluginOptions, tokenEndpoint } from './fastify/token-endpoint.js';
