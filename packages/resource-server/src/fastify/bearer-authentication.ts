/**
 * The Fastify adapter of bearer authentication: runs `verifyBearerToken` in an `onRequest` hook, before the body is
 * even parsed, and answers its refusals with the challenges of RFC 6750 §3 carrying the RFC 9728 §5.1
 * `resource_metadata` parameter.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { AccessTokenPrincipal } from '../access-token-principal.js';
import { bearerRefusal } from '../bearer-refusal.js';
import { protectedResourceMetadataUrl } from '../protected-resource-metadata.js';
import { type VerifyBearerTokenOptions, verifyBearerToken } from '../verify-bearer-token.js';
import { sendBearerRefusal } from './send-bearer-refusal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token of this request; `null` where bearer authentication does not run. */
    accessToken: AccessTokenPrincipal | null;
  }
}

/** How to verify, and what every challenge names. */
export interface BearerAuthenticationOptions extends VerifyBearerTokenOptions {
  /**
   * The `scope` of every `401` challenge, space-joined. MCP-AUTH: the scopes a client should ask for to use this
   * server, usually all of `scopes_supported`.
   */
  scopesSupported: readonly string[];
  /**
   * The `scope` of the challenge to a request without a token, when it should name less than `scopesSupported`
   * (MCP-AUTH scope selection, least privilege: what a client needs to start, more being asked for later with `403
   * insufficient_scope`). Default: `scopesSupported`.
   */
  initialScopes?: readonly string[];
}

async function authenticateEveryRequest(app: FastifyInstance, options: BearerAuthenticationOptions): Promise<void> {
  const challenge = {
    resourceMetadata: protectedResourceMetadataUrl(options.resource),
    scope: (options.initialScopes ?? options.scopesSupported).join(' '),
    ...(options.dpop === undefined
      ? {}
      : { dpop: { algorithms: options.dpop.algorithms, required: options.dpop.required === true } }),
  };
  if (!app.hasRequestDecorator('accessToken')) app.decorateRequest('accessToken', null);
  app.addHook('onRequest', async (request, reply) => {
    try {
      request.accessToken = await verifyBearerToken(
        {
          authorization: request.headers.authorization,
          url: request.url,
          method: request.method,
          dpop: request.headers.dpop,
        },
        options,
      );
    } catch (error) {
      const refusal = bearerRefusal(error, challenge);
      if (refusal === undefined) throw error;
      if (refusal.body !== undefined) {
        request.log.info({ error: refusal.body.error, reason: refusal.body.error_description }, 'bearer token refused');
      }
      return sendBearerRefusal(reply, refusal);
    }
  });
}

/**
 * Requires a valid bearer token on every route of the context it is registered in (it does not encapsulate, so
 * register it inside the plugin that holds the protected routes): a request without one is answered with the
 * challenge before any handler, body parser or `preHandler` runs; the verified token is `request.accessToken`.
 */
export const bearerAuthentication = fastifyPlugin(authenticateEveryRequest, {
  name: '@ema/resource-server/bearer-authentication',
  fastify: '5.x',
});

/** The verified token of a request on a route that {@link bearerAuthentication} protects. */
export function requireAccessToken(request: FastifyRequest): AccessTokenPrincipal {
  if (request.accessToken === null) throw new Error('route reached without bearer authentication');
  return request.accessToken;
}
