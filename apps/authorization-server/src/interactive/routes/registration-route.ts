/**
 * `POST /register`: Dynamic Client Registration (RFC 7591 §3) for MCP clients that predate Client ID Metadata
 * Documents. JSON in, `201` with the client information response out (§3.2.1), or `400` with `invalid_redirect_uri` /
 * `invalid_client_metadata` (§3.2.2). Audited.
 */
import { ClientMetadataError, NO_STORE_HEADERS, registerClient } from '@ema/oauth-server';
import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { ClientRegistrationResponse } from '@ema/protocol';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RasContext } from '../../context.js';

/** The audit type of each registration attempt. */
export const REGISTRATION_AUDIT_TYPE = 'client.registration';

/** See the module comment. */
export const registrationRoute: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { clients } = ctx.storage.interactive;
  app.post(
    '/register',
    {
      bodyLimit: 16 * 1024,
      schema: {
        body: Type.Unknown(),
        response: { 201: ClientRegistrationResponse, '4xx': oauthErrorResponseSchema, '5xx': oauthErrorResponseSchema },
      },
    },
    async (request, reply) => {
      reply.headers(NO_STORE_HEADERS);
      try {
        const { client, response } = registerClient(request.body, { store: clients, now: ctx.now });
        ctx.storage.audit.record({
          type: REGISTRATION_AUDIT_TYPE,
          outcome: 'allow',
          clientId: client.clientId,
          details: {
            client_name: client.metadata.clientName ?? null,
            redirect_uris: client.metadata.redirectUris,
            token_endpoint_auth_method: client.metadata.tokenEndpointAuthMethod,
            grant_types: client.metadata.grantTypes,
          },
        });
        return reply.code(201).send(response);
      } catch (error) {
        if (!(error instanceof ClientMetadataError)) throw error;
        ctx.storage.audit.record({
          type: REGISTRATION_AUDIT_TYPE,
          outcome: 'deny',
          reason: error.error,
          details: { error: error.error, description: error.message },
        });
        // RFC 7591 §3.2.2: 400 with the error code and a description.
        return reply.code(400).send({ error: error.error, error_description: error.message });
      }
    },
  );
};
