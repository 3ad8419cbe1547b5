/**
 * `createApp(config)`: "Team Notes", an MCP server on Express with the SDK's Streamable HTTP transport (stateless:
 * a server and a transport per request), protected through `@ema/resource-server` (not listening: `server.ts`
 * listens).
 */
import { createRemoteJwks, type KeyResolver } from '@ema/jwt';
import { protectedResourceMetadata, protectedResourceMetadataPaths } from '@ema/resource-server';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { accessTokenOf, requireBearerToken, requireToolScopes } from './bearer-middleware.js';
import { isLoopbackHost, type NotesServerConfig } from './config.js';
import { createNoteStore } from './note-store.js';
import { createNotesServer } from './notes-server.js';
import { NOTES_TOOL_SCOPES } from './tool-scopes.js';

/** What a test (or an embedding host) may substitute. */
export interface AppDependencies {
  /** The RAS signing keys; default: its JWKS at `config.rasJwksUri`, fetched on first use and cached. */
  keys?: KeyResolver;
  /** Hears of unexpected errors (default `console.error`); the client only ever gets a generic JSON-RPC error. */
  logError?: (error: unknown) => void;
}

/** A JSON-RPC 2.0 error not tied to a request, the shape the SDK's transport refuses with. */
function jsonRpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null } as const;
}

/** Builds the app: the metadata at both well-known locations, and the protected MCP endpoint. */
export function createApp(config: NotesServerConfig, deps: AppDependencies = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  const { resource } = config;
  const scopesSupported = NOTES_TOOL_SCOPES.scopesSupported;

  // RFC 9728 §3.1 (path-inserted, what challenges point to) and the root location MCP clients fall back to.
  const metadata = protectedResourceMetadata({
    resource,
    authorizationServer: config.authorizationServer,
    scopesSupported,
    resourceName: 'Team Notes',
  });
  app.get(protectedResourceMetadataPaths(resource), (_req, res) => {
    res.json(metadata);
  });

  const path = new URL(resource).pathname;
  const host = new URL(resource).hostname;
  // MCP "Transports": validate Host against DNS rebinding, first; loopback names only for a loopback resource.
  app.use(path, hostHeaderValidation(isLoopbackHost(host) ? [host, 'localhost', '127.0.0.1', '[::1]'] : [host]));
  // Then the token, on every request, before the body is read.
  app.use(
    path,
    requireBearerToken({
      issuer: config.authorizationServer,
      resource,
      keys: deps.keys ?? createRemoteJwks(config.rasJwksUri),
      algorithms: config.algorithms,
      scopesSupported,
    }),
  );

  const notes = createNoteStore();
  app.post(
    path,
    express.json({ limit: '1mb' }),
    requireToolScopes({ resource, toolScopes: NOTES_TOOL_SCOPES }),
    async (req, res) => {
      const server = createNotesServer(notes);
      // No `sessionIdGenerator`: the stateless mode of the transport.
      const transport = new StreamableHTTPServerTransport({});
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      // The SDK's transport reads `req.auth` and hands it to the tools as `extra.authInfo` (the token value stays out).
      const auth = accessTokenOf(req).toAuthInfo(resource);
      await transport.handleRequest(Object.assign(req, { auth }), res, req.body);
    },
  );
  // Stateless: no server-to-client stream to open (GET) and no session to end (DELETE).
  app.all(path, (_req, res) => {
    res.status(405).set('allow', 'POST').json(jsonRpcError(-32000, 'Method not allowed.'));
  });

  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const errorBoundary: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    // body-parser's refusals (`entity.parse.failed` 400, `entity.too.large` 413) say what was wrong; anything else
    // is a logged 500 that leaks nothing.
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    if (res.headersSent) return void res.end();
    if (type === 'entity.parse.failed') return void res.status(400).json(jsonRpcError(-32700, 'Parse error'));
    if (type === 'entity.too.large') return void res.status(413).json(jsonRpcError(-32000, 'Payload Too Large'));
    logError(error);
    res.status(500).json(jsonRpcError(-32603, 'Internal error'));
  };
  app.use(errorBoundary);
  return app;
}
