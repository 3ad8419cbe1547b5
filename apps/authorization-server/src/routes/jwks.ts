import { JsonWebKeySet, MEDIA_TYPE_JWK_SET } from '@ema/protocol';
import type { FastifyPluginAsync } from 'fastify';
import type { RasContext } from '../context.js';
import { ENDPOINT_PATHS } from './endpoints.js';

/**
 * `GET /jwks.json`: the public keys of the access tokens (RFC 7517 §5), including retired keys until every token
 * they signed has expired. Served from memory.
 */
export const jwksRoute: FastifyPluginAsync<{ ctx: RasContext }> = async (app, { ctx }) => {
  app.get(ENDPOINT_PATHS.jwks, { schema: { response: { 200: JsonWebKeySet } } }, async (_request, reply) => {
    reply.type(MEDIA_TYPE_JWK_SET).header('Cache-Control', 'public, max-age=300');
    return ctx.keyStore.jwks();
  });
};
