import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Environment } from './environment.js';
import { StackError } from './errors.js';
import { type BalancedService, haproxyConfig } from './haproxy-config.js';
import { portInUse } from './ports.js';
import type { ProcessSpec } from './process-spec.js';

/** How to run the scaled stack's load balancer. */
export interface BalancerProcessOptions {
  readonly services: readonly BalancedService[];
  /** The generated `haproxy.cfg` is written here. */
  readonly configDir: string;
  /** `EMA_HAPROXY_BIN` and `PATH` are read from it. */
  readonly env: Environment;
}

/**
 * The HAProxy executable: `EMA_HAPROXY_BIN`, else `/usr/sbin/haproxy` (Debian's `haproxy` package), else `PATH`.
 * Throws `MISSING_PROGRAM` with the install command.
 */
export function haproxyExecutable(env: Environment): string {
  if (env.EMA_HAPROXY_BIN) {
    if (existsSync(env.EMA_HAPROXY_BIN)) return env.EMA_HAPROXY_BIN;
    throw new StackError('MISSING_PROGRAM', `EMA_HAPROXY_BIN=${env.EMA_HAPROXY_BIN} does not exist`);
  }
  const candidates = ['/usr/sbin', ...(env.PATH ?? '').split(':')].map((dir) => join(dir, 'haproxy'));
  const found = candidates.find((file) => existsSync(file));
  if (found !== undefined) return found;
  throw new StackError(
    'MISSING_PROGRAM',
    'HAProxy is not installed: install it (apt-get install -y haproxy) or set EMA_HAPROXY_BIN',
  );
}

/**
 * The balancer: HAProxy in the foreground (`-db`) over its generated configuration, ready once it listens on every
 * service's port. Its log lines go to stderr, which the launcher prefixes with `[balancer]`.
 */
export function balancerProcess(options: BalancerProcessOptions): ProcessSpec {
  const [first] = options.services;
  if (first === undefined) throw new RangeError('a balancer needs at least one service');
  mkdirSync(options.configDir, { recursive: true });
  const configFile = join(options.configDir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(options.services, { ipv6: hasIpv6Loopback() }));
  const ports = options.services.map((service) => service.port);
  return {
    name: 'balancer',
    title: 'the load balancer (HAProxy)',
    command: haproxyExecutable(options.env),
    // -q: its start-up notices and state changes only once, through the log on stderr.
    args: ['-db', '-q', '-f', configFile],
    cwd: options.configDir,
    env: { PATH: options.env.PATH ?? '' },
    url: `http://localhost:${first.port}`,
    healthUrl: `http://localhost:${first.port}`,
    healthCheck: async () => (await Promise.all(ports.map(portInUse))).every(Boolean),
  };
}

function hasIpv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === 'IPv6' && address.address === '::1'),
  );
}
