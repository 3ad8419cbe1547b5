import { MEDIA_TYPE_FORM, TokenResponse } from '@ema/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RegisteredClient } from '../client-auth/registered-client.js';
import { RateLimitExceededError } from '../errors/other-errors.js';
import { createRateLimiter, type RateLimit } from '../runtime/rate-limiter.js';
import { isAudited, markAudited } from '../token-endpoint/audited-refusal.js';
import {
  handleTokenRequest,
  type TokenEndpointOptions,
  type TokenRequestResult,
} from '../token-endpoint/handle-token-request.js';
import { NO_STORE_HEADERS } from '../token-endpoint/no-store.js';
import { oauthErrorResponseSchema } from './oauth-error-schema.js';
import { requestErrorToOAuthError } from './request-error.js';

/** Options of the {@link tokenEndpoint} plugin. */
export interface TokenEndpointPluginOptions<C extends RegisteredClient> extends TokenEndpointOptions<C> {
  /** Route path, e.g. `/token`. */
  path: string;
  /** Maximum body size in bytes (default 64 KiB); larger bodies are refused as `invalid_request`. */
  bodyLimit?: number;
  /**
   * Rate limits (default none): per address, counted on every request before anything is parsed; per client, counted
   * once the client is authenticated (so nobody can spend another client's budget). Over a limit: `429
   * temporarily_unavailable` with `Retry-After`, logged but not audited (a flood must not become a flood of writes).
   */
  rateLimits?: { readonly perAddress?: RateLimit; readonly perClient?: RateLimit };
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

// RFC 6749 §5.1 (and RFC 8693 §2.2.1): @ema/protocol's TokenResponse holds every member a grant of this project
// answers with; each grant module's type is its own shape.
const responseSchemas = { 200: TokenResponse, '4xx': oauthErrorResponseSchema, '5xx': oauthErrorResponseSchema };

function send(reply: FastifyReply, result: TokenRequestResult): FastifyReply {
  return reply.code(result.status).headers(result.headers).send(result.body);
}

/**
 * The token endpoint as a Fastify plugin (encapsulated: register it with the path and grant modules). A thin
 * adapter over {@link handleTokenRequest}: the body reaches the core unparsed whatever its content type, so
 * the core alone decides (form only, no repeated parameters). Every answer carries `Cache-Control: no-store`.
 */
export async function tokenEndpoint<C extends RegisteredClient>(
  fastify: FastifyInstance,
  options: TokenEndpointPluginOptions<C>,
): Promise<void> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Built once: the hot path allocates no configuration per request.
  const core: TokenEndpointOptions<C> = {
    grants: options.grants,
    findClient: options.findClient,
    onUnexpectedError:
      options.onUnexpectedError ?? ((error) => fastify.log.error({ err: error }, 'token endpoint: unexpected error')),
  };
  if (options.methods !== undefined) core.methods = options.methods;
  if (options.realm !== undefined) core.realm = options.realm;
  if (options.maxParameters !== undefined) core.maxParameters = options.maxParameters;
  if (options.onRefusal !== undefined) core.onRefusal = options.onRefusal;
  if (options.publicClientGrants !== undefined) core.publicClientGrants = options.publicClientGrants;
  if (options.mayUseGrant !== undefined) core.mayUseGrant = options.mayUseGrant;
  if (options.dpop !== undefined) core.dpop = options.dpop;

  const perAddress =
    options.rateLimits?.perAddress && (await createRateLimiter(fastify, options.rateLimits.perAddress));
  const perClient = options.rateLimits?.perClient && (await createRateLimiter(fastify, options.rateLimits.perClient));
  if (perAddress) {
    fastify.addHook('onRequest', async (request) => {
      const exceeded = await perAddress(request);
      if (exceeded !== undefined) {
        request.log.info('token endpoint: rate limit per address exceeded');
        throw markAudited(new RateLimitExceededError(exceeded.retryAfterSeconds));
      }
    });
  }
  const admitClient = (request: FastifyRequest) => {
    if (!perClient) return undefined;
    return async (clientId: string): Promise<void> => {
      const exceeded = await perClient(request, clientId);
      if (exceeded !== undefined) {
        request.log.info({ clientId }, 'token endpoint: rate limit per client exceeded');
        throw markAudited(new RateLimitExceededError(exceeded.retryAfterSeconds));
      }
    };
  };

  fastify.removeAllContentTypeParsers();
  const rawBody = (
    _request: FastifyRequest,
    body: string | Buffer,
    done: (error: null, body: string | Buffer) => void,
  ) => done(null, body);
  // The form media type by name as well: Fastify caches a named parser by header value, while the catch-all parses
  // the Content-Type header again on every request.
  fastify.addContentTypeParser(MEDIA_TYPE_FORM, { parseAs: 'string', bodyLimit }, rawBody);
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, rawBody);

  // Refusals before the core runs (oversize body, bad content length) still get an OAuth body and no-store.
  fastify.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const oauthError = requestErrorToOAuthError(error);
    if (!oauthError.expose) request.log.error({ err: error }, 'token endpoint: unexpected error');
    try {
      if (!isAudited(oauthError)) options.onRefusal?.(oauthError, {});
    } catch (hookError) {
      request.log.error({ err: hookError }, 'token endpoint: onRefusal failed');
    }
    return reply
      .code(oauthError.status)
      .headers({ ...oauthError.headers, ...NO_STORE_HEADERS })
      .send(oauthError.toResponseBody());
  });

  fastify.route({
    method: 'POST',
    url: options.path,
    bodyLimit,
    schema: { response: responseSchemas },
    handler: async (request, reply) => {
      const admit = admitClient(request);
      const result = await handleTokenRequest(
        {
          contentType: request.headers['content-type'],
          authorization: request.headers.authorization,
          body: typeof request.body === 'string' ? request.body : '',
          dpop: request.headers.dpop,
          ...(admit === undefined ? {} : { admitClient: admit }),
        },
        core,
      );
      return send(reply, result);
    },
  });

  // RFC 6749 §3.2: POST only; other methods get an OAuth error (405, Allow: POST) rather than a bare 404.
  fastify.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: options.path,
    bodyLimit,
    schema: { response: responseSchemas },
    handler: async (request, reply) => {
      const result = await handleTokenRequest(
        { method: request.method, contentType: undefined, authorization: undefined, body: '' },
        core,
      );
      return send(reply, result);
    },
  });
}
