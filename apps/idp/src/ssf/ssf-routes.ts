/**
 * The IdP's SSF Transmitter endpoints: its configuration metadata at `/.well-known/ssf-configuration` (SSF 1.0
 * §7) and the Event Stream Management API (SSF 1.0 §8: `/ssf/stream`, `/ssf/status`, `/ssf/verify`), through
 * `createStreamManagement` of `@ema/shared-signals`. Receivers authenticate with the bearer token the IdP issued to
 * them (RFC 6750); every change to a stream is audited.
 */
import { randomBytes } from 'node:crypto';
import { RateLimitExceededError } from '@ema/oauth-server';
import { createRateLimiter } from '@ema/oauth-server/runtime';
import {
  AUTHORIZATION_SCHEME_BEARER,
  DELIVERY_METHOD_PUSH,
  SSF_SPEC_VERSION,
  SsfConfiguration,
  WELL_KNOWN_SSF_CONFIGURATION,
} from '@ema/protocol';
import { createStreamManagement, type ManagementAnswer } from '@ema/shared-signals';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { ENDPOINT_PATHS, endpointUrl } from '../routes/endpoint-paths.js';
import { supportedEventTypes } from './security-event-signals.js';

/** The stream management endpoints, relative to the issuer. */
export const SSF_PATHS = { stream: '/ssf/stream', status: '/ssf/status', verify: '/ssf/verify' } as const;

/** SSF 1.0 §7.1: this Transmitter's configuration metadata. */
export function ssfConfiguration(issuer: string): SsfConfiguration {
  return {
    spec_version: SSF_SPEC_VERSION,
    issuer,
    jwks_uri: endpointUrl(issuer, ENDPOINT_PATHS.jwks),
    delivery_methods_supported: [DELIVERY_METHOD_PUSH],
    configuration_endpoint: endpointUrl(issuer, SSF_PATHS.stream),
    status_endpoint: endpointUrl(issuer, SSF_PATHS.status),
    verification_endpoint: endpointUrl(issuer, SSF_PATHS.verify),
    authorization_schemes: [{ spec_urn: AUTHORIZATION_SCHEME_BEARER }],
    // Every subject's events go to every stream (no add/remove subject endpoints): see docs/protocol.md.
    default_subjects: 'ALL',
  };
}

const StreamQuery = Type.Object({ stream_id: Type.Optional(Type.String()) });
const JsonBody = Type.Unknown();
// A Receiver makes a few calls at boot and on changes: far below this, while a credential-guessing flood is cut short.
const RATE_LIMIT = { max: 60, windowSeconds: 60 } as const;

/** Registers the SSF endpoints. */
export const ssfRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const { config, signals } = context;
  const document = ssfConfiguration(config.issuer);
  const management = createStreamManagement({
    issuer: config.issuer,
    eventsSupported: supportedEventTypes(config.issuer),
    authenticateReceiver: (authorization) => signals.receivers.authenticate(authorization),
    storage: signals.streams,
    newStreamId: () => randomBytes(16).toString('base64url'),
    requestVerification: (stream, state) => signals.verify(stream.streamId, stream.audience, state),
    allowInsecureLoopback: config.allowInsecureLoopback,
    now: context.now,
  });
  // Counted per address before the bearer token is checked; over the limit, the kit's 429 temporarily_unavailable
  // with Retry-After (the plugin's own refusal is a bare Error, which the error boundary would answer as a 500).
  const limit = await createRateLimiter(fastify, RATE_LIMIT);
  const limited = async (request: FastifyRequest): Promise<void> => {
    const exceeded = await limit(request);
    if (exceeded !== undefined) throw new RateLimitExceededError(exceeded.retryAfterSeconds);
  };

  fastify.get(WELL_KNOWN_SSF_CONFIGURATION, { schema: { response: { 200: SsfConfiguration } } }, async (_r, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return document;
  });

  const send = (
    reply: FastifyReply,
    answer: ManagementAnswer,
    audit?: { action: string; receiver: string | undefined },
  ) => {
    reply.header('cache-control', 'no-store');
    if (answer.wwwAuthenticate !== undefined) reply.header('www-authenticate', answer.wwwAuthenticate);
    if (audit !== undefined && answer.status < 300) {
      const stream = answer.body !== undefined && 'stream_id' in answer.body ? answer.body.stream_id : undefined;
      context.audit.record({
        type: `ssf.stream.${audit.action}`,
        outcome: 'success',
        actor: audit.receiver ?? 'receiver',
        details: { stream_id: stream ?? null },
      });
    }
    return reply.code(answer.status).send(answer.body);
  };
  const receiverOf = (authorization: string | undefined) => signals.receivers.authenticate(authorization)?.receiverId;

  fastify.post(SSF_PATHS.stream, { onRequest: limited, schema: { body: JsonBody } }, async (request, reply) => {
    const { authorization } = request.headers;
    return send(reply, management.create(authorization, request.body), {
      action: 'create',
      receiver: receiverOf(authorization),
    });
  });
  fastify.get(SSF_PATHS.stream, { onRequest: limited, schema: { querystring: StreamQuery } }, async (request, reply) =>
    send(reply, management.read(request.headers.authorization, request.query.stream_id)),
  );
  for (const [method, partial] of [
    ['PUT', false],
    ['PATCH', true],
  ] as const) {
    fastify.route({
      method,
      url: SSF_PATHS.stream,
      onRequest: limited,
      schema: { body: JsonBody },
      handler: async (request, reply) => {
        const { authorization } = request.headers;
        return send(reply, management.update(authorization, request.body, partial), {
          action: 'update',
          receiver: receiverOf(authorization),
        });
      },
    });
  }
  fastify.delete(
    SSF_PATHS.stream,
    { onRequest: limited, schema: { querystring: StreamQuery } },
    async (request, reply) => {
      const { authorization } = request.headers;
      return send(reply, management.remove(authorization, request.query.stream_id), {
        action: 'delete',
        receiver: receiverOf(authorization),
      });
    },
  );
  fastify.get(SSF_PATHS.status, { onRequest: limited, schema: { querystring: StreamQuery } }, async (request, reply) =>
    send(reply, management.status(request.headers.authorization, request.query.stream_id)),
  );
  fastify.post(SSF_PATHS.verify, { onRequest: limited, schema: { body: JsonBody } }, async (request, reply) =>
    send(reply, management.verify(request.headers.authorization, request.body)),
  );
};
