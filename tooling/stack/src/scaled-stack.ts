import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LaunchMode } from './app-process.js';
import { balancerProcess } from './balancer-process.js';
import { type DemoProcess, demoStack } from './demo-stack.js';
import { portOffsetOf } from './demo-world-environment.js';
import type { Environment } from './environment.js';
import { BALANCER_ADDRESS, type BalancedService } from './haproxy-config.js';
import { initPostgresCluster, postgresAccount, postgresBinaries } from './postgres-cluster.js';
import { postgresProcess, postgresUrl } from './postgres-process.js';
import type { ProcessSpec } from './process-spec.js';
import { DEMO_ROLES, type Role } from './roles.js';

/** How to run the scaled stack. */
export interface ScaledStackOptions {
  /** As for {@link demoStack}; `<ROLE>_DATABASE_URL` set here points that role at that PostgreSQL database. */
  readonly env: Environment;
  /** PostgreSQL's cluster in `<dataRoot>/postgres`, each instance's files in `<dataRoot>/<role>-<n>`. */
  readonly dataRoot: string;
  /** Instances of each scaled role. Default 2. */
  readonly instances?: number;
  /**
   * The ports of each scaled role's instances, by role name (tests take free ones). Default: the role's public port
   * plus 1, 2, ….
   */
  readonly instancePorts?: Readonly<Record<string, readonly number[]>>;
  readonly mode?: LaunchMode;
  readonly repositoryRoot?: string;
  /** Default: the four demo roles. */
  readonly roles?: readonly Role[];
  /** As for {@link demoStack}. */
  readonly ssfLinkToken?: string;
}

/** One instance of a scaled role. */
export interface ScaledInstance {
  readonly role: Role;
  /** `idp-1`, `idp-2`, … */
  readonly name: string;
  /** Where this instance answers, bypassing the balancer (tests aim at one instance). */
  readonly localUrl: string;
  readonly databaseUrl: string;
}

/** The scaled stack's processes and what a caller needs to reach them. */
export interface ScaledStack {
  /** In start order: PostgreSQL (unless every role has a database URL), the instances, the balancer, the rest. */
  readonly processes: readonly ProcessSpec[];
  /** Each role once, at its public URL (the balancer's, for a scaled role): for the banner. */
  readonly apps: readonly DemoProcess[];
  readonly instances: readonly ScaledInstance[];
  /** The admin API token every RAS instance shares: `RAS_ADMIN_API_TOKEN`, else generated for this start. */
  readonly rasAdminApiToken: string;
  /** The local PostgreSQL server's port, when the stack runs one. */
  readonly postgresPort?: number;
}

/** The local PostgreSQL server's port is the demo world's 3400 (moved by `EMA_PORT_OFFSET`) unless this says. */
export const POSTGRES_PORT_ENV = 'EMA_POSTGRES_PORT';
const DEFAULT_POSTGRES_PORT = 3400;

/**
 * The demo world with every role that has `scaled` data run as several instances on PostgreSQL behind HAProxy: the
 * balancer listens on the role's public port (the demo URLs stay the same), instance `n` on that port plus `n`
 * (3101, 3102 for the IdP). Each instance gets its role's `<ROLE>_DATABASE_URL`: the one in `env`, else its database
 * on a local PostgreSQL server in `<dataRoot>/postgres` (created with `initdb` here when missing, run as an
 * unprivileged account when this process is root). Each instance trusts the balancer's `X-Forwarded-For`
 * (`<ROLE>_TRUSTED_PROXIES` names {@link BALANCER_ADDRESS}, plus any proxies `env` names there), so its per-address
 * limits count the client, not the balancer. The RAS instances share one admin API token, since a request may reach
 * either. Throws `MISSING_PROGRAM`, `INITDB_FAILED`, `NOT_BUILT` or `INVALID_SETTING` before anything starts.
 */
export function scaledStack(options: ScaledStackOptions): ScaledStack {
  const { env, dataRoot } = options;
  const count = options.instances ?? 2;
  const roles: readonly Role[] = options.roles ?? DEMO_ROLES;
  const common = {
    dataRoot,
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.repositoryRoot === undefined ? {} : { repositoryRoot: options.repositoryRoot }),
    ...(options.ssfLinkToken === undefined ? {} : { ssfLinkToken: options.ssfLinkToken }),
  };
  const rasAdminApiToken = env.RAS_ADMIN_API_TOKEN || randomBytes(32).toString('base64url');
  const sharedEnv = { ...env, RAS_ADMIN_API_TOKEN: rasAdminApiToken };
  // Each role once at its public address: the balancer's port for a scaled role, the process itself otherwise.
  const apps = demoStack({ ...common, env: sharedEnv, roles });

  const scaled = roles.filter((role) => role.scaled !== undefined);
  const localPostgres = scaled.some((role) => role.scaled !== undefined && !env[role.scaled.databaseUrlEnv]);
  const postgresPort = Number(env[POSTGRES_PORT_ENV] || DEFAULT_POSTGRES_PORT + portOffsetOf(env));
  const processes: ProcessSpec[] = [];
  if (localPostgres) {
    const binaries = postgresBinaries(env);
    const runAs = postgresAccount();
    const clusterDir = join(dataRoot, 'postgres');
    initPostgresCluster(clusterDir, binaries, runAs);
    const databases = scaled.flatMap((role) => (role.scaled === undefined ? [] : [role.scaled.database]));
    processes.push(postgresProcess({ dataDir: clusterDir, port: postgresPort, binaries, runAs, databases }));
  }

  const instances: ScaledInstance[] = [];
  const instanceSpecs: ProcessSpec[] = [];
  const services: BalancedService[] = [];
  for (const app of apps) {
    const { role } = app;
    if (role.scaled === undefined) continue;
    const { databaseUrlEnv, database, stickyHeader, trustedProxiesEnv } = role.scaled;
    const databaseUrl = env[databaseUrlEnv] || postgresUrl(postgresPort, database);
    const members = Array.from({ length: count }, (_, index) => {
      const name = `${role.name}-${index + 1}`;
      const port = options.instancePorts?.[role.name]?.[index] ?? app.address.port + index + 1;
      const instanceEnv: Environment = {
        ...sharedEnv,
        [role.portEnv]: String(port),
        [databaseUrlEnv]: databaseUrl,
        [trustedProxiesEnv]: trustingBalancer(env[trustedProxiesEnv]),
        ...(role.dataDirEnv === undefined ? {} : { [role.dataDirEnv]: join(dataRoot, name) }),
      };
      const [instance] = demoStack({ ...common, env: instanceEnv, roles: [role] });
      if (instance === undefined) throw new TypeError(`no process for ${name}`);
      instanceSpecs.push({ ...instance.spec, name });
      instances.push({ role, name, localUrl: instance.address.localUrl, databaseUrl });
      return { name, port };
    });
    services.push({
      name: role.name,
      port: app.address.port,
      instances: members,
      healthPath: role.healthPath,
      ...(stickyHeader === undefined ? {} : { stickyHeader }),
    });
  }
  // The balancer once the instances answer: its health checks then never aim at a port nobody listens on, which
  // the kernel may answer with a connection to itself when that port lies in the ephemeral range (a large
  // EMA_PORT_OFFSET), taking the port from the instance about to start. An instance that calls another role through
  // the public URL while it boots (the RAS opening its event stream at the IdP) retries.
  processes.push(...instanceSpecs);
  processes.push(balancerProcess({ services, configDir: join(dataRoot, 'balancer'), env }));
  processes.push(...apps.filter((app) => app.role.scaled === undefined).map((app) => app.spec));
  return {
    processes,
    apps,
    instances,
    rasAdminApiToken,
    ...(localPostgres ? { postgresPort } : {}),
  };
}

/**
 * An instance's `<ROLE>_TRUSTED_PROXIES`: the balancer, after whatever the caller trusts already (a proxy in front of
 * the balancer), which would otherwise leave the balancer's own `X-Forwarded-For` unbelieved.
 */
function trustingBalancer(callers: string | undefined): string {
  const listed = (callers ?? '').split(/[\s,]+/).filter((entry) => entry.length > 0);
  return [...listed.filter((entry) => entry !== BALANCER_ADDRESS), BALANCER_ADDRESS].join(',');
}
