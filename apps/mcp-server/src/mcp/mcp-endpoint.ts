/**
 * The Streamable HTTP endpoint (MCP "Transports"): POST, GET and DELETE at the path of the resource identifier, in
 * this order: the app's Host/Origin check (DNS rebinding), bearer authentication, scope challenge, step-up challenge
 * (RFC 9470), session ownership, then the SDK transport (run inside Fastify via `reply.hijack()`).
 */
import type { IncomingMessage } from 'node:http';
import type { KeyResolver } from '@ema/jwt';
import { type ResourceDpopOptions, type RevocationList, VerifiedTokenCache } from '@ema/resource-server';
import { bearerAuthentication, requireAccessToken } from '@ema/resource-server/fastify';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { McpAudit } from '../audit/mcp-audit.js';
import { authenticationChallengeHook } from '../auth/authentication-challenge-hook.js';
import { scopeChallengeHook } from '../auth/scope-challenge-hook.js';
import type { McpServerConfig } from '../config.js';
import { mcpRateLimitHooks } from '../http/rate-limits.js';
import type { TicketStore } from '../tickets/sqlite-ticket-store.js';
import { INITIAL_SCOPES, SCOPES_SUPPORTED } from '../tools/tool-scopes.js';
import { JSON_RPC_INTERNAL_ERROR, JSON_RPC_SERVER_ERROR, jsonRpcError, SESSION_NOT_FOUND } from './json-rpc-error.js';
import { mcpErrorHandler } from './mcp-error-handler.js';
import { openSession } from './open-session.js';
import { refuseSession } from './refuse-session.js';
import type { SessionRegistry } from './session-registry.js';
import type { StreamableHttpTransport } from './streamable-http-transport.js';

/** What the endpoint needs. */
export interface McpEndpointOptions {
  config: McpServerConfig;
  keys: KeyResolver;
  tickets: TicketStore;
  audit: McpAudit;
  sessions: SessionRegistry;
  /** What the RAS revoked (Security Events): checked in memory on every request. */
  revocations: RevocationList;
  /** RFC 9449 §7: how DPoP-bound tokens and their proofs are accepted. */
  dpop: ResourceDpopOptions;
  now?: () => Date;
}

const SESSION_HEADER = 'mcp-session-id';

// The transport validates each message against the JSON-RPC schema; this only keeps non-JSON-RPC shapes out early.
const JsonRpcBody = Type.Union([
  Type.Object({}, { additionalProperties: true }),
  Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 100 }),
]);

/** Registers the MCP endpoint. */
export const mcpEndpoint: FastifyPluginAsync<McpEndpointOptions> = async (app, options) => {
  const { config, sessions } = options;
  const path = new URL(config.resource).pathname;

  app.setErrorHandler(mcpErrorHandler);
  // GET and DELETE carry no body, but clients may still label them `application/json`: an empty JSON body is no
  // body here (a POST without one then fails the body schema), instead of Fastify's empty-body error.
  // Otherwise Fastify's own parser (secure-json-parse: `__proto__` and `constructor.prototype` keys are refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // MCP "Transports": a POST body is JSON. Without the text/plain parser any other media type is refused with 415
  // instead of reaching the schema as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else parseJson(request, body.toString(), done);
  });
  // The app's Host/Origin check (DNS rebinding) has run already. Then the rate limit per address, then the token, on
  // every request (MCP-AUTH), before the body is parsed: `request.accessToken`.
  const rateLimits = await mcpRateLimitHooks(app, config);
  app.addHook('onRequest', rateLimits.perAddress);
  await app.register(bearerAuthentication, {
    issuer: config.authorizationServer,
    resource: config.resource,
    keys: options.keys,
    algorithms: config.algorithms,
    clockToleranceSeconds: config.clockToleranceSeconds,
    scopesSupported: SCOPES_SUPPORTED,
    revocations: options.revocations,
    // An agent makes hundreds of calls with one token: one ES256 verify for all of them. The cache never outlives the
    // token's exp nor a revocation (the list is checked on every request), nor 60 s after the verify.
    cache: new VerifiedTokenCache({ maxEntries: 4096 }),
    dpop: options.dpop,
    initialScopes: INITIAL_SCOPES,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Once the token is verified: the rate limit per subject.
  app.addHook('onRequest', rateLimits.perSubject);
  // Scope first (a missing scope is asked for with 403), then the sign-in behind the token (RFC 9470, 401).
  const toolChallenges = [
    scopeChallengeHook({ resource: config.resource, audit: options.audit }),
    authenticationChallengeHook({
      resource: config.resource,
      toolAuthentication: config.toolAuthentication,
      audit: options.audit,
      ...(options.now === undefined ? {} : { now: options.now }),
    }),
  ];

  app.post(
    path,
    {
      schema: { body: JsonRpcBody },
      preHandler: toolChallenges,
    },
    async (request, reply) => {
      const token = requireAccessToken(request);
      const sessionId = sessionIdOf(request);
      if (sessionId === null) return badSessionHeader(reply);
      if (sessionId !== undefined) {
        const transport = ownedSession(request, sessionId);
        if (transport === undefined) return reply.code(404).send(SESSION_NOT_FOUND);
        return forward(request, reply, transport);
      }
      if (!isInitializeRequest(request.body)) {
        return reply
          .code(400)
          .send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required'));
      }
      // Session limits, before anything is created: a refusal names when to retry.
      const admission = sessions.admit(token.owner());
      if (!admission.admitted) return refuseSession(reply, admission);
      const transport = await openSession(token, {
        sessions,
        admission,
        tickets: options.tickets,
        audit: options.audit,
        log: request.log,
        toolAuthentication: config.toolAuthentication,
        now: options.now ?? (() => new Date()),
      }).catch((error: unknown) => {
        admission.cancel();
        throw error;
      });
      await forward(request, reply, transport);
      // The transport refused the initialize request (e.g. a bad Accept header): nothing was registered, free it.
      if (transport.sessionId === undefined) {
        admission.cancel();
        await transport.close();
      }
    },
  );

  // GET opens the server-to-client SSE stream, DELETE ends the session: both only on a session the caller owns.
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: path,
      handler: async (request, reply) => {
        const sessionId = sessionIdOf(request);
        if (sessionId === null) return badSessionHeader(reply);
        if (sessionId === undefined) {
          return reply
            .code(400)
            .send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required'));
        }
        const transport = ownedSession(request, sessionId);
        if (transport === undefined) return reply.code(404).send(SESSION_NOT_FOUND);
        return forward(request, reply, transport);
      },
    });
  }

  /**
   * The session's transport if it exists and belongs to the caller. MCP "Security Best Practices" (session
   * hijacking): a session id alone must not authorize anything, so a request carrying another user's or client's
   * token gets exactly the answer of an unknown session (404), and the attempt is audited.
   */
  function ownedSession(request: FastifyRequest, sessionId: string): StreamableHttpTransport | undefined {
    const token = requireAccessToken(request);
    const session = sessions.use(sessionId);
    if (session === undefined) return undefined;
    if (!token.isOwnedBy(session.owner)) {
      options.audit.sessionRefused(token, sessionId);
      return undefined;
    }
    return session.transport;
  }

  async function forward(
    request: FastifyRequest,
    reply: FastifyReply,
    transport: StreamableHttpTransport,
  ): Promise<void> {
    const token = requireAccessToken(request);
    const raw: IncomingMessage & { auth?: AuthInfo } = request.raw;
    // The SDK transport reads `req.auth` and hands it to tool handlers as `extra.authInfo`.
    raw.auth = token.toAuthInfo(config.resource);
    reply.hijack();
    try {
      await transport.handleRequest(raw, reply.raw, request.body);
    } catch (error) {
      request.log.error({ err: error }, 'MCP transport failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(jsonRpcError(JSON_RPC_INTERNAL_ERROR, 'Internal error')));
      } else {
        reply.raw.end();
      }
    }
  }
};

/** The `Mcp-Session-Id` header: absent (`undefined`), one value, or unusable (`null`: repeated or empty). */
function sessionIdOf(request: FastifyRequest): string | undefined | null {
  const value = request.headers[SESSION_HEADER];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function badSessionHeader(reply: FastifyReply): FastifyReply {
  return reply.code(400).send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Bad Request: invalid Mcp-Session-Id header'));
}
