/**
 * `@ema/oauth-server/fastify`: thin Fastify adapters of the OAuth endpoints over the neutral core: the token
 * endpoint, the form-body parser (the token endpoint's rules, for every form endpoint) and the error body schema.
 */
export { type FormBodyParserOptions, formBodyParser } from './fastify/form-body-parser.js';
export { oauthErrorResponseSchema } from './fastify/oauth-error-schema.js';
export { type TokenEndpointPluginOptions, tokenEndpoint } from './fastify/token-endpoint.js';
