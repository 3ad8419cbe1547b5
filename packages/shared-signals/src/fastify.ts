/** `@ema/shared-signals/fastify`: the RFC 8935 push receiver as a Fastify route, rate-limited. */
export { type PushEndpointOptions, pushEndpoint } from './fastify/push-endpoint.js';
