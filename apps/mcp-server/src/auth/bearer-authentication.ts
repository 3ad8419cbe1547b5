/**
 * The thin Fastify adapter of bearer authentication: runs {@link verifyBearer} before the body is even parsed, and
 * turns its refusals into the challenges of RFC 6750 §3 with the RFC 9728 §5.1 `resource_metadata` parameter.
 */
import { OAuthError } from '@ema/oauth-server';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { AccessTokenPrincipal } from './access-token-principal.js';
import { NoBearerTokenError } from './no-bearer-token-error.js';
import type { BearerRequest } from './verify-bearer.js';
import { formatBearerChallenge } from './www-authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token of this request; set by the bearer authentication hook. */
    accessToken: AccessTokenPrincipal | null;
  }
}

/** How to verify, and what every challenge names. */
export interface BearerAuthenticationOptions {
  verify: (request: BearerRequest) => Promise<AccessTokenPrincipal>;
  /** The protected resource metadata URL (RFC 9728 §5.1). */
  resourceMetadata: string;
  /** MCP-AUTH: the scopes a client should ask for to use this server (all of `scopes_supported`). */
  scope: string;
}

/** Returns the `onRequest` hook; it stops the request with a challenge unless a valid bearer token came with it. */
export function bearerAuthentication(options: BearerAuthenticationOptions): onRequestAsyncHookHandler {
  return async (request, reply) => {
    try {
      request.accessToken = await options.verify({
        authorization: request.headers.authorization,
        query: new URLSearchParams(request.url.split('?')[1] ?? ''),
      });
    } catch (error) {
      return refuse(request, reply, error, options);
    }
  };
}

/** The verified token of a request that passed {@link bearerAuthentication}. */
export function requireAccessToken(request: FastifyRequest): AccessTokenPrincipal {
  if (request.accessToken === null) throw new Error('route reached without bearer authentication');
  return request.accessToken;
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  options: BearerAuthenticationOptions,
): FastifyReply {
  const challenge = { resourceMetadata: options.resourceMetadata, scope: options.scope };
  if (error instanceof NoBearerTokenError) {
    // RFC 6750 §3.1: no credentials, so no error code; MCP-AUTH: 401 with resource_metadata (and scope).
    return reply.code(401).header('www-authenticate', formatBearerChallenge(challenge)).send();
  }
  if (!(error instanceof OAuthError)) throw error;
  request.log.info({ error: error.error, reason: error.description }, 'bearer token refused');
  reply.headers(error.headers);
  if (error.status === 401 || error.status === 400) {
    reply.header(
      'www-authenticate',
      formatBearerChallenge({
        ...challenge,
        error: error.error,
        ...(error.description === undefined ? {} : { errorDescription: error.description }),
      }),
    );
  }
  return reply.code(error.status).send(error.toResponseBody());
}
