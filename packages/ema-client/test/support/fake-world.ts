/**
 * Test double of the three parties outside the agent host: an IdP token endpoint, a RAS (metadata and token
 * endpoint) and an MCP server (SDK McpServer behind a Bearer check), on one loopback HTTP server on port 0.
 * Deliberately small: it answers what the client needs, and counts what it receives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OAUTH_PROTECTED_RESOURCE,
} from '@ema/protocol';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { idJag } from './id-jag.js';

export const RAS_CLIENT = { clientId: 'host-at-ras', clientSecret: 'ras secret:with%odd chars' };
export const IDP_CLIENT = { clientId: 'host-at-idp', clientSecret: 'idp-secret' };

/** The IdP's answer to an exchange: the scopes it grants, or an OAuth error. */
export type IdpDecision = { grant: string[] } | { error: string; description?: string };

export interface FakeWorldOptions {
  /** The IdP policy: given the requested scopes, what it grants (default: all). */
  idpPolicy?: (requested: string[], subjectTokenType: string) => IdpDecision;
  /** RAS metadata overrides (to break discovery). */
  rasMetadata?: (issuer: string) => Record<string, unknown>;
  /** PRM overrides. */
  prm?: (resource: string, issuer: string) => Record<string, unknown>;
  /** Scopes each tool needs (default: none). */
  toolScopes?: Record<string, string[]>;
  /** Tools that answer 401 insufficient_user_authentication (RFC 9470) with these `acr_values`, whatever the token. */
  toolStepUp?: Record<string, string>;
  /** Scope the 401 challenge names. */
  challengeScope?: string;
  accessTokenTtlSeconds?: number;
  /** token_type the IdP answers with (default N_A). */
  idpTokenType?: string;
  /** Paths answered with `307 Location: <value>` instead of their normal answer. */
  redirects?: Record<string, string>;
  /** Members overriding the RAS token response (to break it). */
  rasTokenResponse?: Record<string, unknown>;
  /** Claims overriding those of the ID-JAGs the IdP issues (to issue one that is not what was asked for). */
  idJagClaims?: Record<string, unknown>;
}

interface ReceivedRequest {
  params: URLSearchParams;
  authorization: string | undefined;
}

export interface FakeWorld {
  origin: string;
  mcpUrl: string;
  rasIssuer: string;
  idpTokenEndpoint: string;
  exchanges: ReceivedRequest[];
  grants: ReceivedRequest[];
  authorizeHits: number;
  mcpCalls: { method: string; token: string | undefined; status: number }[];
  /** Every request received, as `METHOD host/path`. */
  requests: string[];
  /** Revokes every access token issued so far (the MCP server then answers 401). */
  revokeAll(): void;
  /**
   * Revokes every access token issued so far as a Security Event would: the MCP server answers 401 with the
   * "revoked" description; with `idp` the IdP refuses the sign-in from then on (`invalid_grant`), with `future`
   * the tokens issued after are revoked as well.
   */
  revokeAccess(scope: { idp?: boolean; future?: boolean }): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'fake-tickets', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the server sees' }, async () => ({
    content: [{ type: 'text', text: 'you' }],
  }));
  server.registerTool(
    'create_ticket',
    { description: 'Creates a ticket', inputSchema: { title: z.string() } },
    async ({ title }) => ({ content: [{ type: 'text', text: `created ${title}` }] }),
  );
  return server;
}

/** Starts the fake world. */
export async function startFakeWorld(options: FakeWorldOptions = {}): Promise<FakeWorld> {
  let origin = '';
  const tokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  const issuedIdJags = new Set<string>();
  const revokedTokens = new Set<string>();
  let idpRefuses = false;
  let revokeFuture = false;
  let counter = 0;
  const world = {
    exchanges: [] as ReceivedRequest[],
    grants: [] as ReceivedRequest[],
    authorizeHits: 0,
    mcpCalls: [] as FakeWorld['mcpCalls'],
    requests: [] as string[],
  };
  const httpServer = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      json(response, 500, { error: 'server_error', error_description: String(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const rasIssuer = `${origin}/ras`;
    const mcpUrl = `${origin}/mcp`;
    world.requests.push(`${request.method ?? 'GET'} ${request.headers.host ?? ''}${url.pathname}`);
    const location = options.redirects?.[url.pathname];
    if (location !== undefined) {
      response.writeHead(307, { location });
      return void response.end();
    }
    if (url.pathname === `${WELL_KNOWN_OAUTH_PROTECTED_RESOURCE}/mcp`) {
      return json(response, 200, {
        resource: mcpUrl,
        authorization_servers: [rasIssuer],
        scopes_supported: ['tickets.read', 'tickets.write'],
        ...options.prm?.(mcpUrl, rasIssuer),
      });
    }
    if (url.pathname === `${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}/ras`) {
      return json(response, 200, {
        issuer: rasIssuer,
        authorization_endpoint: `${origin}/ras/authorize`,
        token_endpoint: `${origin}/ras/token`,
        grant_types_supported: [GRANT_TYPE_JWT_BEARER],
        authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        ...options.rasMetadata?.(rasIssuer),
      });
    }
    if (url.pathname === '/ras/authorize') {
      world.authorizeHits += 1;
      response.writeHead(302, { location: `${origin}/consent` });
      return void response.end();
    }
    if (url.pathname === '/idp/token' && request.method === 'POST') {
      const params = new URLSearchParams(await readBody(request));
      world.exchanges.push({ params, authorization: request.headers.authorization });
      const client = basicCredentials(request.headers.authorization);
      if (client?.id !== IDP_CLIENT.clientId || client.secret !== IDP_CLIENT.clientSecret) {
        return json(response, 401, { error: 'invalid_client' });
      }
      if (params.get('grant_type') !== GRANT_TYPE_TOKEN_EXCHANGE)
        return json(response, 400, { error: 'unsupported_grant_type' });
      if (idpRefuses) return json(response, 400, { error: 'invalid_grant' });
      const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
      const decision = options.idpPolicy?.(requested, params.get('subject_token_type') ?? '') ?? { grant: requested };
      if ('error' in decision)
        return json(response, 400, { error: decision.error, error_description: decision.description });
      counter += 1;
      // ID-JAG §3: addressed to the RAS named as audience, for the resource asked for, bound to the host's client id
      // at that RAS.
      const asked = {
        audience: params.get('audience') ?? '',
        resource: params.get('resource') ?? '',
        rasClientId: RAS_CLIENT.clientId,
      };
      const issued = idJag({ jti: `idjag-${counter}`, ...options.idJagClaims }, {}, asked);
      issuedIdJags.add(issued);
      return json(response, 200, {
        issued_token_type: TOKEN_TYPE_ID_JAG,
        access_token: issued,
        token_type: options.idpTokenType ?? 'N_A',
        expires_in: 300,
        scope: decision.grant.join(' '),
      });
    }
    if (url.pathname === '/ras/token' && request.method === 'POST') {
      const params = new URLSearchParams(await readBody(request));
      world.grants.push({ params, authorization: request.headers.authorization });
      const client = basicCredentials(request.headers.authorization);
      if (client?.id !== RAS_CLIENT.clientId || client.secret !== RAS_CLIENT.clientSecret) {
        return json(response, 401, { error: 'invalid_client' });
      }
      if (params.get('grant_type') !== GRANT_TYPE_JWT_BEARER || !issuedIdJags.has(params.get('assertion') ?? '')) {
        return json(response, 400, { error: 'invalid_grant' });
      }
      counter += 1;
      const token = `at-${counter}`;
      const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
      const ttl = options.accessTokenTtlSeconds ?? 900;
      if (revokeFuture) revokedTokens.add(token);
      else tokens.set(token, { scopes, expiresAt: Date.now() + ttl * 1000 });
      return json(response, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: ttl,
        scope: scopes.join(' '),
        ...options.rasTokenResponse,
      });
    }
    if (url.pathname === '/mcp') {
      const body = request.method === 'POST' ? await readBody(request) : '';
      const message = body ? (JSON.parse(body) as { method?: string; params?: { name?: string } }) : {};
      const token = request.headers.authorization?.replace(/^Bearer /, '');
      const prm = `${origin}${WELL_KNOWN_OAUTH_PROTECTED_RESOURCE}/mcp`;
      const granted = token ? tokens.get(token) : undefined;
      const record = (status: number) =>
        world.mcpCalls.push({ method: message.method ?? request.method ?? '', token, status });
      if (!granted) {
        record(401);
        const scope = options.challengeScope ? `, scope="${options.challengeScope}"` : '';
        const revoked = token !== undefined && revokedTokens.has(token);
        const error = token
          ? `error="invalid_token", ${revoked ? 'error_description="The access token was revoked", ' : ''}`
          : '';
        return json(
          response,
          401,
          { error: 'invalid_token' },
          { 'www-authenticate': `Bearer ${error}resource_metadata="${prm}"${scope}` },
        );
      }
      const needed = message.method === 'tools/call' ? (options.toolScopes?.[message.params?.name ?? ''] ?? []) : [];
      if (!needed.every((scope) => granted.scopes.includes(scope))) {
        record(403);
        return json(
          response,
          403,
          { error: 'insufficient_scope' },
          {
            'www-authenticate': `Bearer error="insufficient_scope", scope="${needed.join(' ')}", resource_metadata="${prm}"`,
          },
        );
      }
      const stepUp = message.method === 'tools/call' ? options.toolStepUp?.[message.params?.name ?? ''] : undefined;
      if (stepUp !== undefined) {
        record(401);
        return json(
          response,
          401,
          { error: 'insufficient_user_authentication', acr_values: stepUp },
          {
            'www-authenticate': `Bearer error="insufficient_user_authentication", error_description="a stronger sign-in is required", resource_metadata="${prm}", acr_values="${stepUp}", max_age="300"`,
          },
        );
      }
      record(200);
      if (request.method !== 'POST') {
        response.writeHead(405);
        return void response.end();
      }
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
      const server = mcpServer();
      await server.connect(transport);
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      return transport.handleRequest(request, response, JSON.parse(body));
    }
    json(response, 404, { error: 'not_found' });
  }

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return Object.assign(world, {
    origin,
    mcpUrl: `${origin}/mcp`,
    rasIssuer: `${origin}/ras`,
    idpTokenEndpoint: `${origin}/idp/token`,
    revokeAll: () => tokens.clear(),
    revokeAccess: (scope: { idp?: boolean; future?: boolean }) => {
      for (const token of tokens.keys()) revokedTokens.add(token);
      tokens.clear();
      if (scope.idp === true) idpRefuses = true;
      if (scope.future === true) revokeFuture = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  });
}
