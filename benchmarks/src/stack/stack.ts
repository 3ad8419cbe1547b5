import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverJwksUri } from '../client/discovery.js';
import { type AppProcess, startAppProcess } from './app-process.js';
import { type BoundServer, startBound } from './bound-process.js';
import { type LaunchOptions, launchCommand } from './launch.js';
import type { StackPorts } from './ports.js';

/** Where each role of the running stack answers. */
export interface StackUrls {
  idpIssuer: string;
  rasIssuer: string;
  mcpBase: string;
  /** The Streamable HTTP endpoint of the MCP server. */
  mcpEndpoint: string;
  /** The MCP server's resource identifier (RFC 8707), as the IdP, the RAS and the MCP server know it. */
  resource: string;
}

/** The three apps and the bound, each in its own process. */
export interface Stack {
  urls: StackUrls;
  idp: AppProcess;
  ras: AppProcess;
  mcp: AppProcess;
  bound: BoundServer;
  stop(): Promise<void>;
}

/**
 * The MCP server's resource identifier. The RAS seeds its resources and clients from the demo world (DEMO.md) with no
 * environment override, so the benchmark keeps the demo's identifier, while the MCP server itself listens on the
 * benchmark's port: a resource identifier names the resource, it is not where the client connects, and the MCP
 * server's Host check accepts its listening port on loopback.
 */
export const BENCH_RESOURCE = 'http://localhost:3300/mcp';

/** Lifetimes long enough that nothing issued before or during a run expires in it (the RAS caps ID-JAGs at 15 min). */
const ID_TOKEN_TTL_SECONDS = 4 * 3600;
const ID_JAG_TTL_SECONDS = 900;
const ACCESS_TOKEN_TTL_SECONDS = 4 * 3600;

/**
 * Starts the IdP, the RAS, the MCP server and the bound as separate processes on loopback, in production mode, with
 * a fresh temporary data directory, logs at `warn` (logging stays out of the measurement), and the named development
 * opt-out for http on loopback. Resolves when all four answer `GET /healthz`.
 */
export async function startStack(ports: StackPorts, launch: LaunchOptions): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ema-bench-'));
  const urls: StackUrls = {
    idpIssuer: `http://localhost:${ports.idp}`,
    rasIssuer: `http://localhost:${ports.ras}`,
    mcpBase: `http://localhost:${ports.mcp}`,
    mcpEndpoint: `http://localhost:${ports.mcp}${new URL(BENCH_RESOURCE).pathname}`,
    resource: BENCH_RESOURCE,
  };
  const common = { NODE_ENV: 'production', EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1' };
  const started: AppProcess[] = [];
  const start = async (name: string, dir: string, env: Record<string, string>, base: string): Promise<AppProcess> => {
    const app = await startAppProcess({
      name,
      ...launchCommand(dir, withProfileName(launch, name)),
      env: { ...common, ...env },
      healthUrl: `${base}/healthz`,
    });
    started.push(app);
    return app;
  };
  // The RAS trusts the IdP's keys and the MCP server the RAS's: start them in that order and point each at the
  // jwks_uri the other actually publishes. The bound starts alongside. allSettled, not all: when one fails, the
  // others must have finished starting before they are stopped.
  const boundStarting = startBound(ports.bound, withProfileName(launch, 'bound')).then((bound) => {
    started.push(bound.process);
    return bound;
  });
  const appsStarting = (async () => {
    const idp = await start('idp', 'apps/idp', idpEnv(ports, urls, dataDir), urls.idpIssuer);
    const idpJwks = await discoverJwksUri('oidc', urls.idpIssuer);
    const ras = await start('ras', 'apps/authorization-server', rasEnv(ports, urls, dataDir, idpJwks), urls.rasIssuer);
    const rasJwks = await discoverJwksUri('oauth', urls.rasIssuer);
    const mcp = await start('mcp', 'apps/mcp-server', mcpEnv(ports, urls, dataDir, rasJwks), urls.mcpBase);
    return { idp, ras, mcp };
  })();
  const settled = await Promise.allSettled([appsStarting, boundStarting]);
  const [apps, bound] = settled;
  if (apps.status === 'rejected' || bound.status === 'rejected') {
    await Promise.allSettled(started.map((app) => app.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    const reasons = settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    throw new Error(`the stack did not start:\n${reasons.join('\n')}`);
  }
  return {
    urls,
    ...apps.value,
    bound: bound.value,
    async stop() {
      await Promise.all(started.map((app) => app.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function idpEnv(ports: StackPorts, urls: StackUrls, dataDir: string): Record<string, string> {
  return {
    IDP_HOST: 'localhost',
    IDP_PORT: String(ports.idp),
    IDP_ISSUER: urls.idpIssuer,
    IDP_DATA_DIR: join(dataDir, 'idp'),
    IDP_LOG_LEVEL: 'warn',
    IDP_ID_TOKEN_TTL_SECONDS: String(ID_TOKEN_TTL_SECONDS),
    IDP_ID_JAG_TTL_SECONDS: String(ID_JAG_TTL_SECONDS),
    IDP_DEMO_RAS_ISSUER: urls.rasIssuer,
    IDP_DEMO_MCP_RESOURCE: urls.resource,
  };
}

function rasEnv(ports: StackPorts, urls: StackUrls, dataDir: string, idpJwksUri: string): Record<string, string> {
  return {
    RAS_HOST: 'localhost',
    RAS_PORT: String(ports.ras),
    RAS_ISSUER: urls.rasIssuer,
    RAS_DATA_DIR: join(dataDir, 'ras'),
    RAS_LOG_LEVEL: 'warn',
    RAS_ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
    RAS_TRUSTED_IDP_ISSUER: urls.idpIssuer,
    RAS_TRUSTED_IDP_JWKS_URI: idpJwksUri,
  };
}

function mcpEnv(ports: StackPorts, urls: StackUrls, dataDir: string, rasJwksUri: string): Record<string, string> {
  return {
    MCP_HOST: 'localhost',
    MCP_PORT: String(ports.mcp),
    MCP_RESOURCE: urls.resource,
    MCP_AUTHORIZATION_SERVER: urls.rasIssuer,
    MCP_RAS_JWKS_URI: rasJwksUri,
    MCP_DATA_DIR: join(dataDir, 'mcp'),
    MCP_LOG_LEVEL: 'warn',
  };
}

/** `--cpu-prof` profiles get the process's name, so the four files of a run can be told apart. */
function withProfileName(launch: LaunchOptions, name: string): LaunchOptions {
  const extra = launch.extraNodeArgs ?? [];
  if (!extra.includes('--cpu-prof')) return launch;
  return { ...launch, extraNodeArgs: [...extra, `--cpu-prof-name=${name}.cpuprofile`] };
}
