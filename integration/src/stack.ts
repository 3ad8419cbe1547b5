/**
 * The four apps in-process on free loopback ports (127.0.0.1), each with a temporary data directory, wired to one
 * another: the IdP, the RAS, the MCP server (Acme Tickets) and the agent host.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildAgentHost } from '@ema/agent-host/app';
import { loadAgentHostConfig } from '@ema/agent-host/config';
import { buildApp as buildRas } from '@ema/authorization-server/app';
import { demoRegistry, loadRasConfig } from '@ema/authorization-server/config';
import { buildApp as buildIdp, type IdpApp } from '@ema/idp/app';
import { loadIdpConfig } from '@ema/idp/config';
import { buildApp as buildMcp } from '@ema/mcp-server/app';
import { resolveConfig as resolveMcpConfig } from '@ema/mcp-server/config';
import { DEFAULT_ALGORITHMS } from '@ema/protocol';
import type { ToolAuthentication } from '@ema/resource-server';
import type { FastifyInstance } from 'fastify';
import { freePort } from './free-port.js';

/** The IdP's admin API token in the stack. */
export const STACK_IDP_ADMIN_TOKEN = 'integration-idp-admin-token-0123456789abcdef';

/** The four apps, listening. */
export interface Stack {
  agentUrl: string;
  idpIssuer: string;
  rasIssuer: string;
  mcpResource: string;
  apps: FastifyInstance[];
  /** The IdP app itself (its storage and audit log), for tests that change policy or read its decisions. */
  idp: IdpApp;
  /** Every request path the RAS received, in order (to prove which endpoints a client used). */
  rasRequests: string[];
  /** Resolves once the RAS's event stream is registered at the IdP (revocation events then flow). */
  ssfReady(): Promise<void>;
  /** Stops the RAS (its data kept), e.g. to show that events wait for it. */
  stopRas(): Promise<void>;
  /** Starts the RAS again on the same port and data. */
  startRas(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  idTokenTtlSeconds?: number;
  /** A path for the RAS issuer (`/tenant-a`: the issuer is `http://127.0.0.1:<port>/tenant-a`). Default none. */
  rasIssuerPath?: string;
  /** A test CA the RAS trusts for Client ID Metadata Documents (in-process; a process would use NODE_EXTRA_CA_CERTS). */
  metadataDocumentCa?: string;
  /** What each MCP tool requires of the sign-in (default: the MCP server's, writes need a second factor). */
  mcpToolAuthentication?: ToolAuthentication;
  /**
   * DPoP (RFC 9449) settings: server nonces at the IdP, the RAS and the MCP server; DPoP required for the agent host
   * at the IdP and the RAS, and for every token at the MCP server; the agent host without DPoP. Default: DPoP on at
   * the agent host, accepted (not required, no nonces) everywhere.
   */
  dpop?: { nonces?: boolean; required?: boolean; agentHost?: boolean };
}

/** Starts the four apps wired to one another (the IdP's demo world seeded), each with its own temporary data. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [agentPort, idpPort, rasPort, mcpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'agent-host-it-'));
  // The RAS manages its event stream at the IdP with this token (generated per stack, never a fixed value).
  const ssfLinkToken = randomBytes(32).toString('base64url');
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const idpIssuer = `http://127.0.0.1:${idpPort}`;
  const rasIssuer = `http://127.0.0.1:${rasPort}${options.rasIssuerPath ?? ''}`;
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
      adminApiToken: STACK_IDP_ADMIN_TOKEN,
      // A receiver that is down is retried within a second here (the default bound is 5 s).
      ssf: { retryMaxDelayMs: 1000, demoReceiverToken: ssfLinkToken },
      ...(options.idTokenTtlSeconds ? { idTokenTtlSeconds: options.idTokenTtlSeconds } : {}),
      demo: { agentHostUrl: agentUrl, rasIssuer, mcpResource },
      ...(options.dpop?.nonces ? { dpopNonces: true } : {}),
      ...(options.dpop?.required ? { dpopRequiredClients: ['acme-agent-host'] } : {}),
    }),
  );
  const rasConfig = loadRasConfig({
    host: '127.0.0.1',
    port: rasPort,
    issuer: rasIssuer,
    dataDir: join(dir, 'ras'),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    trustedIdps: [{ issuer: idpIssuer, jwksUri: `${idpIssuer}/jwks`, algorithms: DEFAULT_ALGORITHMS }],
    ssfTransmitterToken: ssfLinkToken,
    // The MCP server receives the RAS's Security Events at /ssf/events on its origin.
    ...demoRegistry(mcpResource),
    ...(options.dpop?.nonces ? { dpopNonces: true } : {}),
    ...(options.dpop?.required ? { dpopRequiredClients: ['acme-agent-host'] } : {}),
  });
  const rasRequests: string[] = [];
  const buildRasApp = async () => {
    const app = await buildRas(
      rasConfig,
      options.metadataDocumentCa === undefined ? {} : { metadataDocumentCa: options.metadataDocumentCa },
    );
    app.addHook('onRequest', async (request) => {
      rasRequests.push(request.url.split('?')[0] ?? '');
    });
    return app;
  };
  let ras = await buildRasApp();
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
      ...(options.dpop?.nonces ? { dpopNonces: true } : {}),
      ...(options.dpop?.required ? { dpopRequired: true } : {}),
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
      ...(options.dpop?.agentHost === false ? { dpop: false } : {}),
      allowInsecureLoopback: true,
      logLevel: 'silent',
    }),
    { logger: false },
  );
  const apps: FastifyInstance[] = [idp, ras, mcp, agent];
  await idp.listen({ host: '127.0.0.1', port: idpPort });
  await ras.listen({ host: '127.0.0.1', port: rasPort });
  let rasRunning = true;
  await mcp.listen({ host: '127.0.0.1', port: mcpPort });
  await agent.listen({ host: '127.0.0.1', port: agentPort });
  return {
    agentUrl,
    idpIssuer,
    rasIssuer,
    mcpResource,
    apps,
    idp,
    rasRequests,
    async ssfReady() {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const response = await fetch(`${idpIssuer}/admin/api/ssf/streams`, {
          headers: { authorization: `Bearer ${STACK_IDP_ADMIN_TOKEN}` },
        });
        const streams = (await response.json()) as unknown[];
        if (Array.isArray(streams) && streams.length > 0) return;
        if (Date.now() > deadline) throw new Error('the RAS did not register its event stream at the IdP');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stopRas() {
      if (!rasRunning) return;
      rasRunning = false;
      await ras.close();
    },
    async startRas() {
      if (rasRunning) return;
      ras = await buildRasApp();
      apps[1] = ras;
      await ras.listen({ host: '127.0.0.1', port: rasPort });
      rasRunning = true;
    },
    async close() {
      for (const [index, app] of [...apps.entries()].reverse()) {
        if (index !== 1 || rasRunning) await app.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
