import { appProcess, type LaunchMode, type Role, type RunningProcess, type Stack } from '@ema/stack';
import { exportJWK, generateKeyPair } from 'jose';
import { AGENT_HOST_AT_RAS } from '../client/demo-credentials.js';

/** The MCP peer (`peers/sdk-mcp-app.ts`) as a role of the launcher. */
const SDK_MCP_ROLE: Role = {
  name: 'peer-mcp',
  title: 'the MCP SDK peer',
  packageDir: 'benchmarks',
  entry: { dist: 'dist/peers/sdk-mcp-server.js', source: 'src/peers/sdk-mcp-server.ts' },
  url: { default: 'http://localhost:4500' },
  portEnv: 'PEER_MCP_PORT',
  healthPath: '/healthz',
};

/** The authorization server peer (`peers/oidc-provider-ras-app.ts`) as a role of the launcher. */
const OIDC_PROVIDER_ROLE: Role = {
  name: 'peer-ras',
  title: 'the oidc-provider peer',
  packageDir: 'benchmarks',
  entry: { dist: 'dist/peers/oidc-provider-ras-server.js', source: 'src/peers/oidc-provider-ras-server.ts' },
  url: { default: 'http://localhost:4600' },
  portEnv: 'PEER_RAS_PORT',
  // oidc-provider has no health route; its discovery document answers 200 once it serves.
  healthPath: '/.well-known/openid-configuration',
};

/** The running peers: where to send their scenarios' requests. */
export interface Peers {
  mcp: RunningProcess;
  /** The MCP peer's Streamable HTTP endpoint. */
  mcpEndpoint: string;
  ras: RunningProcess;
  /** The oidc-provider peer's token endpoint. */
  rasTokenEndpoint: string;
}

/** What the peers are pointed at: the same issuers, keys, resource and tickets as our apps. */
export interface PeerTargets {
  ports: { mcp: number; ras: number };
  rasIssuer: string;
  rasJwksUri: string;
  idpIssuer: string;
  idpJwksUri: string;
  resource: string;
  scopes: readonly string[];
  /** Acme Tickets' database file, which the MCP peer reads (read-only) for the same tickets. */
  ticketsDatabase: string;
}

/** Starts both peers in the stack, each in its own process, in production mode. */
export async function startPeers(
  stack: Stack,
  targets: PeerTargets,
  launch: (name: string) => { mode: LaunchMode; nodeArgs: readonly string[] },
): Promise<Peers> {
  const common = { PATH: process.env.PATH, NODE_ENV: 'production' };
  const mcpUrl = `http://localhost:${targets.ports.mcp}`;
  const rasUrl = `http://localhost:${targets.ports.ras}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const [mcp, ras] = await Promise.all([
    stack.launch(
      appProcess(SDK_MCP_ROLE, {
        ...launch(SDK_MCP_ROLE.name),
        url: mcpUrl,
        env: {
          ...common,
          PEER_MCP_PORT: String(targets.ports.mcp),
          PEER_MCP_ISSUER: targets.rasIssuer,
          PEER_MCP_JWKS_URI: targets.rasJwksUri,
          PEER_MCP_RESOURCE: targets.resource,
          PEER_MCP_TICKETS_DATABASE: targets.ticketsDatabase,
        },
      }),
    ),
    stack.launch(
      appProcess(OIDC_PROVIDER_ROLE, {
        ...launch(OIDC_PROVIDER_ROLE.name),
        url: rasUrl,
        env: {
          ...common,
          PEER_RAS_PORT: String(targets.ports.ras),
          // The issuer is our RAS's: the ID-JAGs are minted for it (`aud`), and the peer redeems the same ones.
          PEER_RAS_ISSUER: targets.rasIssuer,
          PEER_RAS_IDP_ISSUER: targets.idpIssuer,
          PEER_RAS_IDP_JWKS_URI: targets.idpJwksUri,
          PEER_RAS_RESOURCE: targets.resource,
          PEER_RAS_SCOPES: targets.scopes.join(' '),
          PEER_RAS_CLIENT_ID: AGENT_HOST_AT_RAS.clientId,
          PEER_RAS_CLIENT_SECRET: AGENT_HOST_AT_RAS.clientSecret,
          PEER_RAS_SIGNING_JWK: JSON.stringify(await exportJWK(privateKey)),
        },
      }),
    ),
  ]);
  return { mcp, mcpEndpoint: `${mcpUrl}/mcp`, ras, rasTokenEndpoint: `${rasUrl}/token` };
}
