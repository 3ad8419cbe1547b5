/**
 * The MCP peer: an MCP server written the way the official TypeScript SDK's README shows one, serving the same
 * `list_tickets` as Acme Tickets, so the benchmark can say how our server compares with what an implementer would
 * otherwise write. Express through the SDK's `createMcpExpressApp` (JSON body parser, Host check on loopback), one
 * `StreamableHTTPServerTransport` and `McpServer` per session in a map keyed by `Mcp-Session-Id`, the SDK's
 * `requireBearerAuth` with a `jose` verifier (`jwtVerify` against the RAS's JWKS: signature, `typ`, `iss`, `aud`,
 * `exp`). No audit record, no session limits, no revocation list, no rate limits: the README's sample keeps none.
 */
import { randomUUID } from 'node:crypto';
import { TYP_ACCESS_TOKEN } from '@ema/protocol';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Express } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import type { TicketReader } from './ticket-reader.js';

/** Who the peer trusts, and where its tickets come from. */
export interface SdkMcpPeerConfig {
  /** The RAS issuer (`iss` of the access tokens). */
  issuer: string;
  /** The RAS's `jwks_uri`. */
  jwksUri: string;
  /** The MCP server's resource identifier (`aud` of the access tokens). */
  resource: string;
  tickets: TicketReader;
}

/** Builds the Express app (not listening). */
export function buildSdkMcpPeer(config: SdkMcpPeerConfig): Express {
  const jwks = createRemoteJWKSet(new URL(config.jwksUri));
  const app = createMcpExpressApp({ host: 'localhost' });
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const bearer = requireBearerAuth({
    verifier: {
      async verifyAccessToken(token: string): Promise<AuthInfo> {
        try {
          const { payload } = await jwtVerify(token, jwks, {
            issuer: config.issuer,
            audience: config.resource,
            typ: TYP_ACCESS_TOKEN,
            algorithms: ['ES256'],
          });
          const clientId = typeof payload.client_id === 'string' ? payload.client_id : '';
          const scope = typeof payload.scope === 'string' ? payload.scope : '';
          return {
            token,
            clientId,
            scopes: scope.split(' ').filter(Boolean),
            ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
          };
        } catch {
          throw new InvalidTokenError('Invalid access token');
        }
      },
    },
    requiredScopes: ['tickets.read'],
  });

  app.post('/mcp', bearer, async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (transport === undefined) {
      if (sessionId !== undefined || !isInitializeRequest(req.body)) {
        res.status(400).json({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Bad Request: No valid session ID provided' },
          id: null,
        });
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId !== undefined) transports.delete(created.sessionId);
      };
      await ticketsServer(config.tickets).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, req.body);
  });

  // GET (the SSE stream) and DELETE (end of session), as the README's sample has them.
  const sessionRequest = async (req: Parameters<typeof bearer>[0], res: Parameters<typeof bearer>[1]) => {
    const sessionId = req.headers['mcp-session-id'];
    const transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (transport === undefined) {
      res.status(400).send('Invalid or missing session ID');
      return;
    }
    await transport.handleRequest(req, res);
  };
  app.get('/mcp', bearer, sessionRequest);
  app.delete('/mcp', bearer, sessionRequest);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', sessions: transports.size });
  });
  return app;
}

/** One `McpServer` per session with the one tool the benchmark calls. */
function ticketsServer(tickets: TicketReader): McpServer {
  const server = new McpServer({ name: 'sdk-readme-tickets', version: '0.1.0' });
  server.registerTool(
    'list_tickets',
    {
      title: 'List tickets',
      description: 'Lists tickets, oldest first.',
      inputSchema: { limit: z.number().int().min(1).max(100).optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ limit }) => {
      const data = { tickets: tickets.list(limit ?? 50) };
      return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: data };
    },
  );
  return server;
}
