/**
 * DNS-rebinding protection (MCP "Transports", Streamable HTTP security warning: servers MUST validate the `Origin`
 * header, and SHOULD bind to localhost when running locally). A page on a rebound domain reaches this server with
 * its own name in `Host` and its own origin in `Origin`; both are checked against explicit allow-lists.
 */

/** The allow-lists the check applies. */
export interface DnsRebindingPolicy {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/** Why a request was refused. */
export type DnsRebindingRefusal = 'host_not_allowed' | 'origin_not_allowed';

/**
 * Checks a request's `Host` and `Origin` headers. A missing `Host` is refused (HTTP/1.1 requires it); a missing
 * `Origin` passes, since browsers send it on every cross-origin request and non-browser clients need not.
 */
export function checkDnsRebinding(
  headers: { host: string | undefined; origin: string | undefined },
  policy: DnsRebindingPolicy,
): DnsRebindingRefusal | undefined {
  const host = headers.host?.toLowerCase();
  if (host === undefined || !policy.allowedHosts.some((allowed) => allowed.toLowerCase() === host)) {
    return 'host_not_allowed';
  }
  const origin = headers.origin?.toLowerCase();
  if (origin !== undefined && !policy.allowedOrigins.some((allowed) => allowed.toLowerCase() === origin)) {
    return 'origin_not_allowed';
  }
  return undefined;
}

/**
 * The default allow-lists: the resource identifier's own host and origin, plus the loopback names at the port the
 * server actually listens on (so `MCP_PORT=0` in tests still gets a working default).
 */
export function defaultDnsRebindingPolicy(resource: string, listeningPort: number | undefined): DnsRebindingPolicy {
  const url = new URL(resource);
  const hosts = new Set([url.host]);
  const origins = new Set([url.origin]);
  if (listeningPort !== undefined) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      hosts.add(`${name}:${listeningPort}`);
      origins.add(`http://${name}:${listeningPort}`);
    }
  }
  return { allowedHosts: [...hosts], allowedOrigins: [...origins] };
}
