import { JsonWebKeySet, MEDIA_TYPE_JWK_SET } from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdpContext } from '../idp-context.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';

/** `GET /jwks`: the current and still-retained retired public keys (RFC 7517 §5), from memory. */
export const jwksRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  fastify.get(ENDPOINT_PATHS.jwks, { schema: { response: { 200: JsonWebKeySet } } }, async (_request, reply) => {
    // Short caching: after a rotation, verifiers refetch on the unknown kid anyway.
    reply.header('cache-control', 'public, max-age=300').type(MEDIA_TYPE_JWK_SET);
    return context.keyStore.jwks();
  });
};
