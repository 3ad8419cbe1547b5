/**
 * The scaled stack of `pnpm start:scaled` for tests: a real PostgreSQL server, two instances each of the IdP, the RAS
 * and the MCP server behind HAProxy, and the agent host, every one a process started from its TypeScript source
 * through the repository's launcher (`@ema/stack`), on free ports, in a fresh temporary data root. Tests reach a role
 * through its balancer (the public URL) or one instance directly.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  demoWorldEnvironment,
  demoWorldUrls,
  freePorts,
  launchStack,
  POSTGRES_PORT_ENV,
  type RunningProcess,
  type ScaledInstance,
  scaledStack,
  ssfLinkToken,
} from '@ema/stack';

/** The rate limits raised out of the way: every request of a test comes from one address and one client. */
const UNLIMITED = String(1_000_000_000);

/** One instance of a scaled role, running. */
export interface RunningInstance extends ScaledInstance {
  readonly process: RunningProcess;
}

/** The scaled stack, running. */
export interface ScaledWorld {
  /** The public URLs: the balancer's for the IdP, the RAS and the MCP server. */
  readonly idp: string;
  readonly ras: string;
  readonly mcpResource: string;
  readonly agentHost: string;
  /** `idp-1`, `idp-2`, `authorization-server-1`, …, `mcp-server-2`. */
  instance(name: string): RunningInstance;
  /** The connection URL of a role's database (`idp`, `ras`, `mcp`). */
  databaseUrl(role: 'idp' | 'authorization-server' | 'mcp-server'): string;
  readonly idpAdminToken: string;
  readonly rasAdminToken: string;
  stop(): Promise<void>;
}

/** Starts the scaled stack; rejects with the failing process's last output when it cannot. */
export async function startScaledWorld(): Promise<ScaledWorld> {
  const [agentHost = 0, idp = 0, ras = 0, mcp = 0, postgres = 0, ...instancePorts] = await freePorts(11);
  const dataRoot = mkdtempSync(join(tmpdir(), 'ema-scaled-it-'));
  const idpAdminToken = randomBytes(32).toString('base64url');
  const env = {
    PATH: process.env.PATH,
    ...demoWorldEnvironment({ agentHost, idp, ras, mcp }),
    [POSTGRES_PORT_ENV]: String(postgres),
    IDP_ADMIN_API_TOKEN: idpAdminToken,
    IDP_LOG_LEVEL: 'warn',
    RAS_LOG_LEVEL: 'warn',
    MCP_LOG_LEVEL: 'warn',
    AGENT_LOG_LEVEL: 'warn',
    IDP_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    IDP_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
    RAS_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    RAS_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
    MCP_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    MCP_RATE_LIMIT_PER_SUBJECT: UNLIMITED,
    MCP_MAX_SESSIONS_PER_SUBJECT: '1000',
  };
  const take = (index: number): number[] => instancePorts.slice(index * 2, index * 2 + 2);
  const stack = scaledStack({
    env,
    dataRoot,
    mode: 'source',
    ssfLinkToken: ssfLinkToken(dataRoot),
    instancePorts: { idp: take(0), 'authorization-server': take(1), 'mcp-server': take(2) },
  });
  let running: Awaited<ReturnType<typeof launchStack>>;
  try {
    running = await launchStack(stack.processes, { healthTimeoutMs: 120_000 });
  } catch (error) {
    rmSync(dataRoot, { recursive: true, force: true });
    throw error;
  }
  const urls = demoWorldUrls({ agentHost, idp, ras, mcp });
  return {
    idp: urls.idp,
    ras: urls.ras,
    mcpResource: urls.mcpResource,
    agentHost: urls.agentHost,
    instance(name) {
      const instance = stack.instances.find((candidate) => candidate.name === name);
      const process = running.processes.find((candidate) => candidate.name === name);
      if (instance === undefined || process === undefined) throw new Error(`no running instance ${name}`);
      return { ...instance, process };
    },
    databaseUrl(role) {
      const instance = stack.instances.find((candidate) => candidate.role.name === role);
      if (instance === undefined) throw new Error(`no instance of ${role}`);
      return instance.databaseUrl;
    },
    idpAdminToken,
    rasAdminToken: stack.rasAdminApiToken,
    async stop() {
      await running.stop();
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}
