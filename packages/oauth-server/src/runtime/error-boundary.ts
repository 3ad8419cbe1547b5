import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { OAuthError } from '../errors/oauth-error.js';
import { StorageUnavailableError } from '../errors/other-errors.js';
import { InvalidRequestError } from '../errors/token-errors.js';
import { requestErrorToOAuthError } from '../fastify/request-error.js';
import { NO_STORE_HEADERS } from '../token-endpoint/no-store.js';

/** Answers with an OAuth error: its status, its headers plus `no-store`, and its RFC 6749 §5.2 body. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError, status = error.status): FastifyReply {
  // Serialized here, not by the route's response schema: a refusal on a page route (whose 4xx schema may be an HTML
  // string) must still be the JSON error body.
  return reply
    .code(status)
    .headers({ ...error.headers, ...NO_STORE_HEADERS })
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(error.toResponseBody());
}

async function errorBoundary(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const oauthError = requestErrorToOAuthError(error);
    // The original error (message, stack) stays in the server log; the client sees only the OAuth body.
    if (oauthError instanceof StorageUnavailableError) request.log.error({ err: error }, 'storage unavailable');
    else if (oauthError.expose) request.log.info({ error: oauthError.error }, 'request refused');
    else request.log.error({ err: error }, 'unexpected error');
    return sendOAuthError(reply, oauthError);
  });
  fastify.setNotFoundHandler((_request: FastifyRequest, reply: FastifyReply) => {
    return sendOAuthError(reply, new InvalidRequestError('not found'), 404);
  });
}

/**
 * The error boundary of an app (cross-cutting, registered once at the root): an `OAuthError` answers with its
 * status, headers and body; the framework's refusals of malformed requests become `invalid_request`; a storage
 * failure that is nobody's fault (a full disk) becomes `503 {"error":"temporarily_unavailable"}` with `Retry-After`;
 * anything else becomes `500 {"error":"server_error"}`. Both are logged server-side; no message or stack leaks.
 */
export const oauthErrorBoundary = fastifyPlugin(errorBoundary, {
  name: '@ema/oauth-server/error-boundary',
  fastify: '5.x',
});
