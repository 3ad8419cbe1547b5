import { ProtectedResourceMetadata, WELL_KNOWN_OAUTH_PROTECTED_RESOURCE } from '@ema/protocol';
import type { FastifyPluginAsync } from 'fastify';
import {
  type ProtectedResourceMetadataInput,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
} from './protected-resource-metadata.js';

/**
 * Serves the protected resource metadata at the path-inserted location of RFC 9728 §3.1 (what the
 * `resource_metadata` of our challenges points to) and at the root location, which MCP-AUTH clients fall back to
 * when a challenge carries no `resource_metadata`.
 */
export const protectedResourceMetadataRoutes: FastifyPluginAsync<ProtectedResourceMetadataInput> = async (
  app,
  input,
) => {
  const document = protectedResourceMetadata(input);
  const paths = new Set([protectedResourceMetadataPath(input.resource), WELL_KNOWN_OAUTH_PROTECTED_RESOURCE]);
  for (const url of paths) {
    app.get(url, { schema: { response: { 200: ProtectedResourceMetadata } } }, async (_request, reply) => {
      // RFC 9728 §3.2: a successful response is 200 with `application/json`.
      return reply.type('application/json').send(document);
    });
  }
};
