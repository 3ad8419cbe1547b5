import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appProcess,
  balancerProcess,
  createStack,
  type DemoRoleName,
  demoRole,
  freePorts,
  initPostgresCluster,
  postgresAccount,
  postgresBinaries,
  postgresProcess,
  postgresUrl,
  type RunningProcess,
} from '@ema/stack';
import { discoverJwksUri } from '../client/discovery.js';
import { startBound } from './bound-process.js';
import type { AppPorts, StackPorts } from './ports.js';
import { type AppStack, BENCH_RESOURCE, type BenchLaunch, idpEnv, mcpEnv, nodeOptions, rasEnv } from './stack.js';

/**
 * The ports of a PostgreSQL stack: the balancer's (the public URLs), each instance's, the database's, the bound's. No
 * peers: they are other implementations, measured on SQLite by the main benchmark, not stores of ours.
 */
export interface PostgresStackPorts extends AppPorts {
  /** Instance `n` of a role listens on the role's port plus `n` unless free ports are asked for. */
  readonly instances: { readonly idp: number[]; readonly ras: number[]; readonly mcp: number[] };
  readonly postgres: number;
}

/**
 * The fixed ports of the full run (`benchPorts`, so moved by `EMA_PORT_OFFSET` too): the balancer on the single
 * stack's ports, instance `n` of a role on the role's port plus `n`, PostgreSQL on the first peer's port (this stack
 * starts no peers, and the stacks of the comparison run one after the other).
 */
export function fixedPostgresPorts(base: StackPorts, instances: number): PostgresStackPorts {
  const next = (port: number) => Array.from({ length: instances }, (_, index) => port + index + 1);
  return {
    idp: base.idp,
    ras: base.ras,
    mcp: base.mcp,
    bound: base.bound,
    instances: { idp: next(base.idp), ras: next(base.ras), mcp: next(base.mcp) },
    postgres: base.peerMcp,
  };
}

/** Ports that were free a moment ago (the smoke run). */
export async function freePostgresPorts(instances: number): Promise<PostgresStackPorts> {
  const [idp = 0, ras = 0, mcp = 0, bound = 0, postgres = 0, ...rest] = await freePorts(5 + 3 * instances);
  const take = (index: number) => rest.slice(index * instances, (index + 1) * instances);
  return { idp, ras, mcp, bound, postgres, instances: { idp: take(0), ras: take(1), mcp: take(2) } };
}

/** The PostgreSQL stack, running: the apps and the bound (`AppStack`), plus the database server and its databases. */
export interface PostgresStack extends AppStack {
  readonly postgres: RunningProcess;
  readonly databaseUrls: { readonly idp: string; readonly ras: string; readonly mcp: string };
}

/**
 * The benchmark's stack on PostgreSQL: a durable PostgreSQL server (fsync and synchronous commit on) in a temporary
 * cluster, as many processes each of the IdP, the RAS and the MCP server with the benchmark's settings plus their
 * `<ROLE>_DATABASE_URL` (one per port of `ports.instances`), HAProxy in front of them on the benchmark's URLs (with one instance too, so that one and two
 * instances are measured through the same path), and the bound. Each window watches the role's instances and the
 * database server with its backends. Started in that order; the balancer once every instance answers.
 */
export async function startPostgresStack(ports: PostgresStackPorts, launch: BenchLaunch): Promise<PostgresStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ema-bench-pg-'));
  const urls = {
    idpIssuer: `http://localhost:${ports.idp}`,
    rasIssuer: `http://localhost:${ports.ras}`,
    mcpBase: `http://localhost:${ports.mcp}`,
    mcpEndpoint: `http://localhost:${ports.mcp}${new URL(BENCH_RESOURCE).pathname}`,
    resource: BENCH_RESOURCE,
  };
  const databaseUrls = {
    idp: postgresUrl(ports.postgres, 'idp'),
    ras: postgresUrl(ports.postgres, 'ras'),
    mcp: postgresUrl(ports.postgres, 'mcp'),
  };
  const stack = createStack({ healthTimeoutMs: 60_000 });
  try {
    const binaries = postgresBinaries(process.env);
    const runAs = postgresAccount();
    const cluster = join(dataDir, 'postgres');
    initPostgresCluster(cluster, binaries, runAs);
    const postgres = await stack.launch(
      postgresProcess({ dataDir: cluster, port: ports.postgres, binaries, runAs, databases: ['idp', 'ras', 'mcp'] }),
    );
    const ssfLink = randomBytes(32).toString('base64url');
    const common = { PATH: process.env.PATH, NODE_ENV: 'production', EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1' };
    const startAll = async (
      role: DemoRoleName,
      short: 'idp' | 'ras' | 'mcp',
      env: (index: number, port: number) => Record<string, string>,
    ): Promise<RunningProcess[]> => {
      const started: RunningProcess[] = [];
      for (const [index, port] of ports.instances[short].entries()) {
        const name = `${short}-${index + 1}`;
        const spec = appProcess(demoRole(role), {
          name,
          url: `http://localhost:${port}`,
          env: { ...common, ...env(index, port) },
          ...nodeOptions(launch, name),
        });
        started.push(await stack.launch(spec));
      }
      return started;
    };
    const instanceDir = (short: string, index: number) => join(dataDir, `${short}-${index + 1}`);
    const idp = await startAll('idp', 'idp', (index, port) => ({
      ...idpEnv(ports, urls, instanceDir('idp', index)),
      IDP_PORT: String(port),
      IDP_DATABASE_URL: databaseUrls.idp,
      IDP_DEMO_SSF_RECEIVER_TOKEN: ssfLink,
    }));
    const firstUrl = (short: 'idp' | 'ras') => `http://localhost:${ports.instances[short][0]}`;
    const idpJwks = await discoverJwksUri('oidc', urls.idpIssuer, firstUrl('idp'));
    const ras = await startAll('authorization-server', 'ras', (index, port) => ({
      ...rasEnv(ports, urls, instanceDir('ras', index), idpJwks),
      RAS_PORT: String(port),
      RAS_DATABASE_URL: databaseUrls.ras,
      RAS_SSF_TRANSMITTER_TOKEN: ssfLink,
    }));
    const rasJwks = await discoverJwksUri('oauth', urls.rasIssuer, firstUrl('ras'));
    const mcp = await startAll('mcp-server', 'mcp', (index, port) => ({
      ...mcpEnv(ports, urls, instanceDir('mcp', index), rasJwks),
      MCP_PORT: String(port),
      MCP_DATABASE_URL: databaseUrls.mcp,
    }));
    const service = (name: string, port: number, short: 'idp' | 'ras' | 'mcp') => ({
      name,
      port,
      healthPath: '/healthz',
      instances: ports.instances[short].map((instancePort, index) => ({
        name: `${short}-${index + 1}`,
        port: instancePort,
      })),
    });
    await stack.launch(
      balancerProcess({
        services: [
          service('idp', ports.idp, 'idp'),
          service('ras', ports.ras, 'ras'),
          { ...service('mcp', ports.mcp, 'mcp'), stickyHeader: 'Mcp-Session-Id' },
        ],
        configDir: join(dataDir, 'balancer'),
        env: process.env,
      }),
    );
    const bound = await startBound(stack, ports.bound, nodeOptions(launch, 'bound'));
    const database = { name: 'postgres', pid: postgres.pid, withChildren: true };
    const [firstIdp, firstRas, firstMcp] = [idp[0], ras[0], mcp[0]];
    if (firstIdp === undefined || firstRas === undefined || firstMcp === undefined) throw new Error('no instances');
    return {
      urls,
      idp: firstIdp,
      ras: firstRas,
      mcp: firstMcp,
      servers: { idp: [...idp, database], ras: [...ras, database], mcp: [...mcp, database] },
      bound,
      postgres,
      databaseUrls,
      restartRas: () => Promise.reject(new Error('the PostgreSQL stack does not restart the RAS')),
      async stop() {
        const outcome = await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
        return outcome;
      },
    };
  } catch (error) {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
