/**
 * The environment that moves the whole demo world to other ports, consistently: every role's own URL and every
 * reference one role holds to another (the IdP's seeded redirect URI and resource, the RAS's trusted IdP and its
 * registered resource, the MCP server's authorization server, the agent host's IdP, RAS and catalog). With offset 0
 * it is the demo world of the README; a positive offset lets a second copy (a second browser suite, another
 * checkout) run beside it on the same machine.
 */
import type { Environment } from './environment.js';
import { StackError } from './errors.js';

/** The demo ports (docs/demo-world.md "Where each role listens"). */
const DEMO_PORTS = { agentHost: 3000, idp: 3100, ras: 3200, mcp: 3300 } as const;

/** The variable that sets the offset for `pnpm start` and the browser suite. */
export const PORT_OFFSET_ENV = 'EMA_PORT_OFFSET';

/** The demo world's public URLs at `offset`. */
export function demoWorldUrls(offset = 0): { agentHost: string; idp: string; ras: string; mcpResource: string } {
  const at = (port: number): string => `http://localhost:${port + offset}`;
  return {
    agentHost: at(DEMO_PORTS.agentHost),
    idp: at(DEMO_PORTS.idp),
    ras: at(DEMO_PORTS.ras),
    mcpResource: `${at(DEMO_PORTS.mcp)}/mcp`,
  };
}

/**
 * The offset `env` asks for (`EMA_PORT_OFFSET`, default 0). Refuses anything but a whole number that keeps every port
 * below 65536.
 */
export function portOffsetOf(env: Environment): number {
  const raw = env[PORT_OFFSET_ENV];
  if (raw === undefined || raw === '') return 0;
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset + DEMO_PORTS.mcp > 65535) {
    throw new StackError(
      'INVALID_SETTING',
      `${PORT_OFFSET_ENV} must be a whole number from 0 to ${65535 - DEMO_PORTS.mcp}, not ${raw}`,
    );
  }
  return offset;
}

/** The variables that place the demo world at `offset` (nothing at offset 0: the apps' defaults are the demo). */
export function demoWorldEnvironment(offset: number): Record<string, string> {
  if (offset === 0) return {};
  const urls = demoWorldUrls(offset);
  const port = (name: keyof typeof DEMO_PORTS): string => String(DEMO_PORTS[name] + offset);
  return {
    IDP_PORT: port('idp'),
    RAS_PORT: port('ras'),
    MCP_PORT: port('mcp'),
    AGENT_PORT: port('agentHost'),
    IDP_ISSUER: urls.idp,
    IDP_DEMO_AGENT_HOST_URL: urls.agentHost,
    IDP_DEMO_RAS_ISSUER: urls.ras,
    IDP_DEMO_MCP_RESOURCE: urls.mcpResource,
    RAS_ISSUER: urls.ras,
    RAS_TRUSTED_IDP_ISSUER: urls.idp,
    RAS_DEMO_MCP_RESOURCE: urls.mcpResource,
    MCP_RESOURCE: urls.mcpResource,
    MCP_AUTHORIZATION_SERVER: urls.ras,
    AGENT_BASE_URL: urls.agentHost,
    AGENT_IDP_ISSUER: urls.idp,
    AGENT_RAS_ISSUER: urls.ras,
    AGENT_MCP_SERVERS: JSON.stringify([{ id: 'acme-tickets', name: 'Acme Tickets', url: urls.mcpResource }]),
  };
}
