/**
 * The real IdP and RAS of this repository and the example, in-process on free loopback ports with temporary data
 * directories, registered with one another the way an administrator would register a new MCP server:
 *
 * - at the RAS, "Team Notes" is a resource with its scopes, and the agent host's client may obtain them for it;
 * - at the IdP, "Team Notes" is a resource whose audience is the RAS, and a policy rule grants alice its scopes;
 * - optionally, the agent host lists "Team Notes" in its catalog and holds its client credentials at the RAS.
 *
 * Both registrations go through the admin APIs, with the requests the README of this example shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAgentHost } from '@ema/agent-host/app';
import { loadAgentHostConfig } from '@ema/agent-host/config';
import { buildApp as buildRas } from '@ema/authorization-server/app';
import { demoRegistry, loadRasConfig } from '@ema/authorization-server/config';
import { buildApp as buildIdp } from '@ema/idp/app';
import { loadIdpConfig } from '@ema/idp/config';
import type { ClientCredentials } from '@ema/integration';
import { freePort } from '@ema/integration';
import { DEFAULT_ALGORITHMS } from '@ema/protocol';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { NOTES_TOOL_SCOPES } from '../../src/tool-scopes.js';

/** The agent host's registrations in the demo world (docs/demo-world.md "Clients"). */
export const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
export const AGENT_AT_RAS: ClientCredentials = {
  clientId: 'acme-agent-host',
  clientSecret: 'acme-agent-host-dev-secret',
};

const IDP_ADMIN_TOKEN = 'example-test-idp-admin-token-of-at-least-32-characters';
const RAS_ADMIN_TOKEN = 'example-test-ras-admin-token-of-at-least-32-characters';

/** The running stack. */
export interface NotesStack {
  idpIssuer: string;
  rasIssuer: string;
  /** The example's resource identifier (its MCP endpoint). */
  resource: string;
  /** The agent host's base URL (listening only when started with `agentHost: true`). */
  agentUrl: string;
  /** The agent host's redirect URI at the IdP (the plain-fetch flow reads the redirect instead of following it). */
  redirectUri: string;
  close(): Promise<void>;
}

async function admin(method: 'POST' | 'PUT', url: string, token: string, body: object): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
}

/** Starts the IdP, the RAS and the example (and the agent host if asked), and registers the example at both. */
export async function startNotesStack(options: { agentHost?: boolean } = {}): Promise<NotesStack> {
  const [idpPort, rasPort, notesPort, agentPort, acmePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'express-mcp-server-it-'));
  const idpIssuer = `http://127.0.0.1:${idpPort}`;
  const rasIssuer = `http://127.0.0.1:${rasPort}`;
  const resource = `http://127.0.0.1:${notesPort}/mcp`;
  const agentHostUrl = `http://127.0.0.1:${agentPort}`;
  const scopes = [...NOTES_TOOL_SCOPES.scopesSupported];

  const idp = await buildIdp(
    loadIdpConfig({
      host: '127.0.0.1',
      port: idpPort,
      issuer: idpIssuer,
      dataDir: join(dir, 'idp'),
      allowInsecureLoopback: true,
      passwordHashCost: 14,
      logLevel: 'silent',
      adminApiToken: IDP_ADMIN_TOKEN,
      // The demo world's people and agent host client; its Acme Tickets resource is not used here.
      demo: { agentHostUrl, rasIssuer, mcpResource: `http://127.0.0.1:${acmePort}/mcp` },
    }),
  );
  const ras = await buildRas(
    loadRasConfig({
      host: '127.0.0.1',
      port: rasPort,
      issuer: rasIssuer,
      dataDir: join(dir, 'ras'),
      allowInsecureLoopback: true,
      logLevel: 'silent',
      adminApiToken: RAS_ADMIN_TOKEN,
      trustedIdps: [{ issuer: idpIssuer, jwksUri: `${idpIssuer}/jwks`, algorithms: DEFAULT_ALGORITHMS }],
      // The demo world's registry: Acme Tickets, and the agent host's client, which gets its Team Notes grant below.
      ...demoRegistry(`http://127.0.0.1:${acmePort}/mcp`),
    }),
  );
  const notes = createApp(
    resolveConfig({
      host: '127.0.0.1',
      port: notesPort,
      resource,
      authorizationServer: rasIssuer,
      allowInsecureLoopback: true,
    }),
  );
  const agent = options.agentHost
    ? await buildAgentHost(
        loadAgentHostConfig({
          host: '127.0.0.1',
          port: agentPort,
          baseUrl: agentHostUrl,
          dataDir: join(dir, 'agent'),
          idp: { issuer: idpIssuer },
          rasCredentials: { [rasIssuer]: AGENT_AT_RAS },
          servers: [{ id: 'team-notes', name: 'Team Notes', url: resource }],
          allowInsecureLoopback: true,
          logLevel: 'silent',
        }),
        { logger: false },
      )
    : undefined;
  await idp.listen({ host: '127.0.0.1', port: idpPort });
  await ras.listen({ host: '127.0.0.1', port: rasPort });
  await agent?.listen({ host: '127.0.0.1', port: agentPort });
  const notesServer = await new Promise<Server>((resolve, reject) => {
    const server = notes.listen(notesPort, '127.0.0.1', () => resolve(server)).once('error', reject);
  });

  const rasAdmin = `${rasIssuer}/admin/api`;
  await admin('PUT', `${rasAdmin}/resources`, RAS_ADMIN_TOKEN, { resource, name: 'Team Notes', scopes });
  await admin('PUT', `${rasAdmin}/clients/${AGENT_AT_RAS.clientId}/grants`, RAS_ADMIN_TOKEN, { resource, scopes });
  const idpAdmin = `${idpIssuer}/admin/api`;
  await admin('POST', `${idpAdmin}/resources`, IDP_ADMIN_TOKEN, {
    id: 'team-notes',
    name: 'Team Notes',
    audience: rasIssuer,
    resource,
    scopes,
  });
  await admin('POST', `${idpAdmin}/policy-rules`, IDP_ADMIN_TOKEN, {
    id: 'alice-team-notes',
    description: 'Alice may read and write her notes',
    effect: 'allow',
    subjectType: 'user',
    subject: 'alice',
    resourceId: 'team-notes',
    scopes,
  });

  return {
    idpIssuer,
    rasIssuer,
    resource,
    agentUrl: agentHostUrl,
    redirectUri: `${agentHostUrl}/auth/callback`,
    async close() {
      await agent?.close();
      notesServer.closeAllConnections();
      await new Promise<void>((resolve) => notesServer.close(() => resolve()));
      await ras.close();
      await idp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
