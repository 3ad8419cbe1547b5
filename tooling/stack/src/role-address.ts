import type { Environment } from './environment.js';
import { StackError } from './errors.js';
import type { Role } from './roles.js';

/** Where a role is reached: publicly, and on this machine. */
export interface RoleAddress {
  /** Its public URL as configured (issuer, resource identifier or base URL). */
  readonly publicUrl: string;
  /** Where its process answers on this machine: the public URL's origin, or localhost at its port variable. */
  readonly localUrl: string;
  /** The port its process listens on. */
  readonly port: number;
}

/**
 * Reads a role's address from an environment, the way the app itself will: the public URL from its URL variable
 * (else the default); the port from its port variable when set (the app is then reached on localhost at that port,
 * whatever the public URL says), else the public URL's port.
 */
export function roleAddress(role: Role, env: Environment): RoleAddress {
  const urlEnv = role.url.env;
  const publicUrl = (urlEnv === undefined ? undefined : env[urlEnv]) || role.url.default;
  const parsed = URL.canParse(publicUrl) ? new URL(publicUrl) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw new StackError(
      'INVALID_SETTING',
      `${urlEnv ?? role.name}: ${JSON.stringify(publicUrl)} is not an http(s) URL`,
    );
  }
  const configuredPort = env[role.portEnv];
  if (configuredPort) {
    const port = Number(configuredPort);
    if (!/^\d+$/.test(configuredPort) || port < 1 || port > 65535) {
      throw new StackError('INVALID_SETTING', `${role.portEnv}: ${JSON.stringify(configuredPort)} is not a port`);
    }
    return { publicUrl, localUrl: `http://localhost:${port}`, port };
  }
  return { publicUrl, localUrl: parsed.origin, port: portOf(parsed) };
}

/** The port a URL names, or its scheme's default. */
export function portOf(url: URL | string): number {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}
