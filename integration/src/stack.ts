/**
 * The four apps in-process on free loopback ports (127.0.0.1), each with a temporary data directory, wired to one
 * another: the IdP, the RAS, the MCP server (Acme Tickets) and the agent host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAgentHost } from '@ema/agent-host/app';
import { loadAgentHostConfig } from '@ema/agent-host/config';
import { buildApp as buildRas } from '@ema/authorization-server/app';
import { demoRegistry, loadRasConfig } from '@ema/authorization-server/config';
import { buildApp as buildIdp } from '@ema/idp/app';
import { loadIdpConfig } from '@ema/idp/config';
import { buildApp as buildMcp } from '@ema/mcp-server/app';
import { resolveConfig as resolveMcpConfig } from '@ema/mcp-server/config';
import { DEFAULT_ALGORITHMS } from '@ema/protocol';
import type { ToolAuthentication } from '@ema/resource-server';
import type { FastifyInstance } from 'fastify';
import { freePort } from './free-port.js';

/** The bearer token of the IdP's admin API in the stack (test only). */
export const IDP_ADMIN_TOKEN = 'integration-admin-api-token-0123456789abcdef';

/** The four apps, listening. */
export interface Stack {
  agentUrl: string;
  idpIssuer: string;
  rasIssuer: string;
  mcpResource: string;
  apps: FastifyInstance[];
  close(): Promise<void>;
}

/** Starts the four apps wired to one another (the IdP's demo world seeded), each with its own temporary data. */
export async function startStack(
  options: {
    idTokenTtlSeconds?: number;
    /** What each MCP tool requires of the sign-in (default: the MCP server's, writes need a second factor). */
    mcpToolAuthentication?: ToolAuthentication;
  } = {},
): Promise<Stack> {
  const [agentPort, idpPort, rasPort, mcpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'agent-host-it-'));
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const idpIssuer = `http://127.0.0.1:${idpPort}`;
  const rasIssuer = `http://127.0.0.1:${rasPort}`;
  const mcpResource = `http://127.0.0.1:${mcpPort}/mcp`;
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
      ...(options.idTokenTtlSeconds ? { idTokenTtlSeconds: options.idTokenTtlSeconds } : {}),
      demo: { agentHostUrl: agentUrl, rasIssuer, mcpResource },
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
      trustedIdps: [{ issuer: idpIssuer, jwksUri: `${idpIssuer}/jwks`, algorithms: DEFAULT_ALGORITHMS }],
      ...demoRegistry(mcpResource),
    }),
  );
  const mcp = await buildMcp(
    resolveMcpConfig({
      host: '127.0.0.1',
      port: mcpPort,
      resource: mcpResource,
      authorizationServer: rasIssuer,
      dataDir: join(dir, 'mcp'),
      allowInsecureLoopback: true,
      logLevel: 'silent',
      ...(options.mcpToolAuthentication === undefined ? {} : { toolAuthentication: options.mcpToolAuthentication }),
    }),
  );
  const agent = await buildAgentHost(
    loadAgentHostConfig({
      host: '127.0.0.1',
      port: agentPort,
      baseUrl: agentUrl,
      dataDir: join(dir, 'agent'),
      idp: { issuer: idpIssuer },
      rasCredentials: { [rasIssuer]: { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' } },
      servers: [{ name: 'Acme Tickets', url: mcpResource }],
      allowInsecureLoopback: true,
      logLevel: 'silent',
    }),
    { logger: false },
  );
  const apps: FastifyInstance[] = [idp, ras, mcp, agent];
  await idp.listen({ host: '127.0.0.1', port: idpPort });
  await ras.listen({ host: '127.0.0.1', port: rasPort });
  await mcp.listen({ host: '127.0.0.1', port: mcpPort });
  await agent.listen({ host: '127.0.0.1', port: agentPort });
  return {
    agentUrl,
    idpIssuer,
    rasIssuer,
    mcpResource,
    apps,
    async close() {
      for (const app of apps.reverse()) await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
