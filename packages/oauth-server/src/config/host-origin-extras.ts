import { ConfigError } from './config-error.js';

/**
 * Validates configured extra `Host` values (`*_ALLOWED_HOSTS`): each a `host[:port]` (IPv6 in brackets).
 *
 * @throws ConfigError `"<path>[i]: must be host[:port]"`.
 */
export function checkAllowedHosts(hosts: readonly string[], path: string): void {
  hosts.forEach((host, index) => {
    if (!/^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host)) {
      throw new ConfigError(`${path}[${index}]: must be host[:port]`);
    }
  });
}

/**
 * Validates configured extra origins (`*_ALLOWED_ORIGINS`): each an http(s) origin, `scheme://host[:port]`, no path.
 *
 * @throws ConfigError `"<path>[i]: must be an origin …"`.
 */
export function checkAllowedOrigins(origins: readonly string[], path: string): void {
  origins.forEach((origin, index) => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError(`${path}[${index}]: must be an origin (scheme://host[:port], no path)`);
    }
  });
}
