import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

/**
 * Validates the addresses whose `X-Forwarded-For` is believed (`*_TRUSTED_PROXIES`): each an IP address or a CIDR
 * block (`10.0.0.0/8`, `fd00::/8`). Behind a load balancer every request comes from the balancer's address, so the
 * per-address limits (the sign-in throttle, the rate limits) would count every client as one, unless the balancer is
 * named here; with nothing named no forwarded header is believed, since any client can send one.
 *
 * @throws ConfigError `"<path>[i]: must be an IP address or CIDR block"`.
 */
export function checkTrustedProxies(proxies: readonly string[], path: string): void {
  proxies.forEach((proxy, index) => {
    const [address = '', prefix, extra] = proxy.split('/');
    const version = isIP(address);
    const bits = version === 4 ? 32 : 128;
    const prefixValid = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (version === 0 || !prefixValid || extra !== undefined) {
      throw new ConfigError(`${path}[${index}]: must be an IP address or CIDR block`);
    }
  });
}

/** Fastify's `trustProxy` for a validated list: the addresses themselves, or `false` when none is trusted. */
export function trustProxyOption(proxies: readonly string[]): string[] | false {
  return proxies.length === 0 ? false : [...proxies];
}
