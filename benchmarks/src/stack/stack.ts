import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appProcess,
  createStack,
  type DemoRoleName,
  demoRole,
  type LaunchMode,
  type RunningProcess,
  type StackOutcome,
} from '@ema/stack';
import { discoverJwksUri } from '../client/discovery.js';
import { type BoundServer, startBound } from './bound-process.js';
import { type Peers, startPeers } from './peer-processes.js';
import type { AppPorts, StackPorts } from './ports.js';

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

/** How the servers are started: see `LaunchMode` of `@ema/stack`; extra Node flags such as `--cpu-prof`. */
export interface BenchLaunch {
  mode: LaunchMode;
  extraNodeArgs?: readonly string[];
}

/** A server process whose CPU time and memory a window records; `withChildren` adds its child processes' CPU time. */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  /** Count the CPU time of its children too (PostgreSQL: one backend process per connection). */
  readonly withChildren?: boolean;
}

/**
 * The three apps and the bound: what every scenario of our own servers needs. The store comparison
 * (`postgres/postgres-benchmark.ts`) runs on this alone, with no peers.
 */
export interface AppStack {
  urls: StackUrls;
  idp: RunningProcess;
  /** Replaced when the RAS is restarted (`restartRas`). */
  ras: RunningProcess;
  mcp: RunningProcess;
  /**
   * What serves each role, as a window watches it: here the one process; on PostgreSQL every instance and the
   * database server (`postgres-stack.ts`).
   */
  readonly servers: {
    readonly idp: readonly WatchedProcess[];
    readonly ras: readonly WatchedProcess[];
    readonly mcp: readonly WatchedProcess[];
  };
  bound: BoundServer;
  /** Stops the RAS process (its data kept), runs `whileDown`, then starts it again; resolves once it is healthy. */
  restartRas(whileDown: () => Promise<void>): Promise<void>;
  /** Stops every server; says whether one had exited on its own during the run. */
  stop(): Promise<StackOutcome>;
}

/** The benchmark's stack: the apps and the bound, each in its own process, and the peers measured beside them. */
export interface Stack extends AppStack {
  /** What an implementer would pick instead: the MCP SDK's README server and an oidc-provider RAS. */
  peers: Peers;
}

/** The IdP's admin API token in the benchmark stack (the time-to-cut-off scenario disables a user through it). */
export const BENCH_IDP_ADMIN_TOKEN = 'benchmark-idp-admin-token-0123456789abcdef';

/**
 * The MCP server's resource identifier: the demo's (docs/demo-world.md), since the RAS seeds its resources and clients from the
 * demo world with no environment override. The MCP server itself listens on the benchmark's port: a resource
 * identifier names the resource, it is not where the client connects, and the MCP server's Host check accepts its
 * listening port on loopback.
 */
export const BENCH_RESOURCE = demoRole('mcp-server').url.default;

/**
 * The apps' rate limits, raised out of the way: the load generator is one address and one client sending thousands of
 * requests a second, which the production defaults (6000 a minute per address at a token endpoint) would refuse.
 */
export const UNLIMITED = String(1_000_000_000);

/** Acme Tickets' scopes (DEMO.md), which the oidc-provider peer issues too. */
/** Sessions the MCP server may hold in the benchmark (the memory readings open up to 10,000). */
const MAX_SESSIONS = 20_000;

const BENCH_RESOURCE_SCOPES = ['tickets.read', 'tickets.write'] as const;

/** The MCP server's database file in its data directory (`DATABASE_FILE` of its app), read by the MCP peer. */
const MCP_DATABASE_FILE = 'mcp-server.sqlite';

/** Lifetimes long enough that nothing issued before or during a run expires in it (the RAS caps ID-JAGs at 15 min). */
export const ID_TOKEN_TTL_SECONDS = 4 * 3600;
const ID_JAG_TTL_SECONDS = 900;
const ACCESS_TOKEN_TTL_SECONDS = 4 * 3600;

/**
 * Starts the IdP, the RAS, the MCP server and the bound through the repository's launcher (`@ema/stack`), as
 * separate processes on loopback, in production mode, with a fresh temporary data directory, logs at `warn` (logging
 * stays out of the measurement), and the named development opt-out for http on loopback. Resolves when all four
 * answer `GET /healthz`. Should one exit on its own, the launcher stops the others.
 */
export async function startStack(ports: StackPorts, launch: BenchLaunch): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ema-bench-'));
  const urls: StackUrls = {
    idpIssuer: `http://localhost:${ports.idp}`,
    rasIssuer: `http://localhost:${ports.ras}`,
    mcpBase: `http://localhost:${ports.mcp}`,
    mcpEndpoint: `http://localhost:${ports.mcp}${new URL(BENCH_RESOURCE).pathname}`,
    resource: BENCH_RESOURCE,
  };
  // From source (tsx compiles on start) on a busy 2-core machine, an app can take more than 30 s to answer.
  const stack = createStack({ healthTimeoutMs: launch.mode === 'source' ? 90_000 : 30_000 });
  // The RAS manages its event stream at the IdP with this token (generated per run, never a fixed value).
  const ssfLink = randomBytes(32).toString('base64url');
  // Exactly these variables plus PATH: nothing from the caller's environment changes what is measured.
  const common = { PATH: process.env.PATH, NODE_ENV: 'production', EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1' };
  const start = (name: string, role: DemoRoleName, env: Record<string, string>, url: string): Promise<RunningProcess> =>
    stack.launch(appProcess(demoRole(role), { name, url, env: { ...common, ...env }, ...nodeOptions(launch, name) }));
  // The RAS trusts the IdP's keys and the MCP server the RAS's: start them in that order and point each at the
  // jwks_uri the other actually publishes. The bound starts alongside. allSettled, not all: when one fails, the
  // others must have finished starting before they are stopped.
  const boundStarting = startBound(stack, ports.bound, nodeOptions(launch, 'bound'));
  let startRas = (): Promise<RunningProcess> => Promise.reject(new Error('the RAS was never started'));
  const appsStarting = (async () => {
    const idp = await start(
      'idp',
      'idp',
      { ...idpEnv(ports, urls, dataDir), IDP_DEMO_SSF_RECEIVER_TOKEN: ssfLink },
      urls.idpIssuer,
    );
    const idpJwks = await discoverJwksUri('oidc', urls.idpIssuer);
    startRas = () =>
      start(
        'ras',
        'authorization-server',
        { ...rasEnv(ports, urls, dataDir, idpJwks), RAS_SSF_TRANSMITTER_TOKEN: ssfLink },
        urls.rasIssuer,
      );
    const ras = await startRas();
    const rasJwks = await discoverJwksUri('oauth', urls.rasIssuer);
    const mcp = await start('mcp', 'mcp-server', mcpEnv(ports, urls, dataDir, rasJwks), urls.mcpBase);
    const peers = await startPeers(
      stack,
      {
        ports: { mcp: ports.peerMcp, ras: ports.peerRas },
        rasIssuer: urls.rasIssuer,
        rasJwksUri: rasJwks,
        idpIssuer: urls.idpIssuer,
        idpJwksUri: idpJwks,
        resource: urls.resource,
        scopes: BENCH_RESOURCE_SCOPES,
        ticketsDatabase: join(dataDir, 'mcp', MCP_DATABASE_FILE),
      },
      (name) => nodeOptions(launch, name),
    );
    return { idp, ras, mcp, peers };
  })();
  const settled = await Promise.allSettled([appsStarting, boundStarting]);
  const [apps, bound] = settled;
  if (apps.status === 'rejected' || bound.status === 'rejected') {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const reasons = settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    throw new Error(`the stack did not start:\n${reasons.join('\n')}`);
  }
  const running: Stack = {
    urls,
    ...apps.value,
    get servers() {
      return { idp: [running.idp], ras: [running.ras], mcp: [running.mcp] };
    },
    bound: bound.value,
    async restartRas(whileDown) {
      await running.ras.stop();
      try {
        await whileDown();
      } finally {
        running.ras = await startRas();
      }
    },
    async stop() {
      const outcome = await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
      return outcome;
    },
  };
  return running;
}

/** The IdP's benchmark settings (lifetimes, limits, the demo world's references at the benchmark's URLs). */
export function idpEnv(ports: AppPorts, urls: StackUrls, dataDir: string): Record<string, string> {
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
    IDP_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    IDP_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
    IDP_ADMIN_API_TOKEN: BENCH_IDP_ADMIN_TOKEN,
  };
}

/** The RAS's benchmark settings. */
export function rasEnv(ports: AppPorts, urls: StackUrls, dataDir: string, idpJwksUri: string): Record<string, string> {
  return {
    RAS_HOST: 'localhost',
    RAS_PORT: String(ports.ras),
    RAS_ISSUER: urls.rasIssuer,
    RAS_DATA_DIR: join(dataDir, 'ras'),
    RAS_LOG_LEVEL: 'warn',
    RAS_ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
    RAS_TRUSTED_IDP_ISSUER: urls.idpIssuer,
    RAS_TRUSTED_IDP_JWKS_URI: idpJwksUri,
    RAS_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    RAS_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
    // The resource identifier is the demo's; the MCP server receives Security Events where it actually listens.
    RAS_DEMO_MCP_EVENTS_ENDPOINT: `${urls.mcpBase}/ssf/events`,
  };
}

/** The MCP server's benchmark settings. */
export function mcpEnv(ports: AppPorts, urls: StackUrls, dataDir: string, rasJwksUri: string): Record<string, string> {
  return {
    MCP_HOST: 'localhost',
    MCP_PORT: String(ports.mcp),
    MCP_RESOURCE: urls.resource,
    MCP_AUTHORIZATION_SERVER: urls.rasIssuer,
    MCP_RAS_JWKS_URI: rasJwksUri,
    MCP_DATA_DIR: join(dataDir, 'mcp'),
    MCP_LOG_LEVEL: 'warn',
    // The scenarios play one agent per connection, all for the same user and client (up to 256), and the memory
    // readings open 10,000 idle sessions: the per-user limit (10 by default, a new session replacing the user's
    // oldest) would close the sessions they still use.
    MCP_MAX_SESSIONS_PER_SUBJECT: String(MAX_SESSIONS),
    MCP_MAX_SESSIONS_PER_CLIENT: String(MAX_SESSIONS),
    MCP_MAX_SESSIONS: String(MAX_SESSIONS),
    MCP_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
    MCP_RATE_LIMIT_PER_SUBJECT: UNLIMITED,
  };
}

/** The launch mode and Node flags of one server; `--cpu-prof` profiles get its name, so a run's files can be told apart. */
export function nodeOptions(launch: BenchLaunch, name: string): { mode: LaunchMode; nodeArgs: readonly string[] } {
  const extra = launch.extraNodeArgs ?? [];
  const nodeArgs = extra.includes('--cpu-prof') ? [...extra, `--cpu-prof-name=${name}.cpuprofile`] : extra;
  return { mode: launch.mode, nodeArgs };
}
