import { authenticateClient, InvalidRequestError, NO_STORE_HEADERS } from '@ema/oauth-server';
import { formBodyParser, oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { IntrospectionResponse } from '@ema/protocol';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RasContext } from '../context.js';
import type { RasClient } from '../storage/registry.js';
import type { RevokedToken } from '../storage/revoked-tokens.js';
import { introspectAccessToken } from '../tokens/introspect.js';
import { revokeAccessToken } from '../tokens/revoke.js';
import { CLIENT_AUTH_METHODS, ENDPOINT_PATHS } from './endpoints.js';

const FormBody = Type.Record(Type.String(), Type.String());
const errors = { '4xx': oauthErrorResponseSchema, '5xx': oauthErrorResponseSchema } as const;

/**
 * RFC 7662 introspection and RFC 7009 revocation, both for authenticated clients (the same methods as the token
 * endpoint) and both form-encoded only.
 */
export const introspectionRevocationRoutes: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { registry, revokedTokens, audit } = ctx.storage;
  const inTransaction = ctx.storage.transactional((record: () => void) => record());
  const tokenOptions = {
    issuer: ctx.config.issuer,
    keys: () => ctx.keyStore.keys(),
    now: ctx.now,
    revokedTokens,
    isCutOff: ctx.signals.isAccessTokenRevoked,
    inTransaction,
    // RFC 7009 revocation reaches the MCP server too (a token-revoked Security Event), not introspection only.
    forward: ctx.signals.forwardTokenRevocation,
  };
  const findClient = (clientId: string): RasClient | undefined => registry.findClient(clientId);
  // A revocation, its audit record and its forwarded Security Event commit together (revokeAccessToken runs them in
  // one transaction): a write that fails (a full disk) leaves none of them, the client is answered 503 and must
  // assume the token still exists (RFC 7009 §2.2.1), and its retry is recorded.
  const revokeRecorded = (token: RevokedToken, nowMs: number): void => {
    revokedTokens.revoke(token, nowMs);
    audit.record({ type: 'token.revocation', outcome: 'success', clientId: token.clientId, jti: token.jti });
  };
  const revocationOptions = { ...tokenOptions, revokedTokens: { ...revokedTokens, revoke: revokeRecorded } };

  // Form bodies only: without the JSON parser a JSON body is refused as an unsupported media type.
  app.removeAllContentTypeParsers();
  await app.register(formBodyParser, { bodyLimit: 64 * 1024 });

  const authenticate = (request: FastifyRequest, body: Record<string, string>) => {
    const params = new Map(Object.entries(body));
    const { client } = authenticateClient({ authorization: request.headers.authorization, params }, findClient, {
      methods: CLIENT_AUTH_METHODS,
      // RFC 6749 §5.2: the same Basic challenge (realm = our issuer) as the token endpoint gives.
      realm: ctx.config.issuer,
    });
    const token = params.get('token');
    // RFC 7662 §2.1 / RFC 7009 §2.1: `token` is required.
    if (token === undefined) throw new InvalidRequestError('token is required');
    return { client, token };
  };

  app.post(
    ENDPOINT_PATHS.introspection,
    { schema: { body: FormBody, response: { 200: IntrospectionResponse, ...errors } } },
    async (request, reply) => {
      const { client, token } = authenticate(request, request.body);
      reply.headers(NO_STORE_HEADERS);
      return introspectAccessToken(token, client.clientId, tokenOptions);
    },
  );

  app.post(
    ENDPOINT_PATHS.revocation,
    { schema: { body: FormBody, response: { 200: Type.Unknown({ description: 'empty body' }), ...errors } } },
    async (request, reply) => {
      const { client, token } = authenticate(request, request.body);
      const { outcome } = await revokeAccessToken(token, client.clientId, revocationOptions);
      if (outcome === 'foreign') {
        // RFC 7009 §2.1: a token issued to another client is refused.
        throw new InvalidRequestError('the token was not issued to this client');
      }
      // The outbox has a new Security Event for the MCP servers: deliver it now rather than at the next tick.
      if (outcome === 'revoked') ctx.signals.wake();
      // RFC 7009 §2.2: 200 whether or not the token was valid, with an empty body.
      return reply.headers(NO_STORE_HEADERS).code(200).send(undefined);
    },
  );
};
