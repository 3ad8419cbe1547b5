import { ProtectedResourceMetadata } from '@ema/protocol';
import type { FastifyPluginAsync } from 'fastify';
import {
  type ProtectedResourceMetadataInput,
  protectedResourceMetadata,
  protectedResourceMetadataPaths,
} from '../protected-resource-metadata.js';

/**
 * Serves the protected resource metadata at the path-inserted location of RFC 9728 §3.1 (what the
 * `resource_metadata` of the challenges points to) and at the root location, which MCP-AUTH clients fall back to
 * when a challenge carries no `resource_metadata`. Public: no token is asked for.
 */
export const protectedResourceMetadataRoutes: FastifyPluginAsync<ProtectedResourceMetadataInput> = async (
  app,
  input,
) => {
  const document = protectedResourceMetadata(input);
  for (const url of protectedResourceMetadataPaths(input.resource)) {
    app.get(url, { schema: { response: { 200: ProtectedResourceMetadata } } }, async (_request, reply) => {
      // RFC 9728 §3.2: a successful response is 200 with `application/json`.
      return reply.type('application/json').send(document);
    });
  }
};
