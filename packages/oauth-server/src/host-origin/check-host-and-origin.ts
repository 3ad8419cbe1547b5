/**
 * The `Host` and `Origin` checks every app makes before any route runs, framework-neutral. DNS rebinding points a
 * name the attacker controls at this server, so the browser sends the attacker's name in `Host`: only the names of
 * the configured public URL are accepted. A cross-origin form or `fetch` carries the attacker's origin (or `null`)
 * in `Origin`: a state-changing request from anywhere but this server's own origin is refused.
 */

/** What the checks accept; build it once with {@link hostOriginPolicy}. */
export interface HostOriginPolicy {
  /** `Host` values accepted (lowercase `host[:port]`). */
  readonly hosts: ReadonlySet<string>;
  /** `Origin` values accepted (serialized origins, lowercase). */
  readonly origins: ReadonlySet<string>;
  /** The public URL is a loopback URL (see {@link hostOriginPolicy}). */
  readonly loopback: boolean;
  /** The public URL's scheme with its colon (`http:`), for the loopback server's own origin. */
  readonly scheme: string;
}

/** Accepted besides what the public URL implies (`*_ALLOWED_HOSTS`, `*_ALLOWED_ORIGINS`). */
export interface HostOriginPolicyOptions {
  /** `host[:port]` values, e.g. the name a reverse proxy forwards. */
  readonly allowedHosts?: readonly string[];
  /** Origins (`scheme://host[:port]`) whose browsers may send state-changing requests here. */
  readonly allowedOrigins?: readonly string[];
}

/** Why a request was refused; see {@link HOST_ORIGIN_REFUSAL_STATUS}. */
export type HostOriginRefusal = 'host_missing' | 'host_not_allowed' | 'origin_not_allowed';

/**
 * The status of each refusal. RFC 9112 §3.2: a request without `Host` gets 400. RFC 9110 §15.5.20: 421 Misdirected
 * Request, for a request directed at a server that cannot answer for its target (a name that is not ours). A foreign
 * `Origin` is a request we understood and will not serve: 403.
 */
export const HOST_ORIGIN_REFUSAL_STATUS: Readonly<Record<HostOriginRefusal, number>> = {
  host_missing: 400,
  host_not_allowed: 421,
  origin_not_allowed: 403,
};

/** The request headers the checks read. */
export interface HostOriginRequest {
  readonly method: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
}

// RFC 9110 §9.2.1: the safe methods change nothing, so where they come from matters only to the Host check.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * The policy of a server reached at `publicUrl` (its issuer, resource identifier or base URL): its host, with and
 * without the scheme's default port, and its origin, plus the configured extras. A loopback public URL (`localhost`,
 * `127.0.0.1`, `[::1]`) accepts every loopback name at any port in `Host`: DNS rebinding can only ever produce a
 * name the attacker's DNS answers for, never a loopback name (RFC 6761 §6.3: `localhost` never goes to DNS), while a
 * development server is reached under all three names and listens on ports its public URL may not name (port 0 in
 * tests, the launcher's health check). Its own origin is then the one its `Host` names.
 */
export function hostOriginPolicy(publicUrl: string, options: HostOriginPolicyOptions = {}): HostOriginPolicy {
  const url = new URL(publicUrl);
  const hosts = new Set([url.host.toLowerCase()]);
  if (url.port === '') hosts.add(`${url.host}:${DEFAULT_PORTS[url.protocol] ?? ''}`.toLowerCase());
  for (const host of options.allowedHosts ?? []) hosts.add(host.toLowerCase());
  const origins = new Set([url.origin.toLowerCase()]);
  for (const origin of options.allowedOrigins ?? []) origins.add(origin.toLowerCase());
  return { hosts, origins, loopback: LOOPBACK_HOST.test(url.host), scheme: url.protocol };
}

/**
 * Checks a request's `Host` (always) and `Origin` (on state-changing methods, or on every method with
 * `originOnEveryMethod`, as the MCP transport requires). A missing `Origin` passes: browsers send it on every
 * cross-origin request and on every state-changing one, and server-to-server callers (token requests) have none.
 * `Origin: null` (an opaque origin: a sandboxed page, a `no-referrer` form post) is refused where `Origin` is checked.
 */
export function checkHostAndOrigin(
  request: HostOriginRequest,
  policy: HostOriginPolicy,
  options: { readonly originOnEveryMethod?: boolean } = {},
): HostOriginRefusal | undefined {
  if (request.host === undefined || request.host === '') return 'host_missing';
  const host = request.host.toLowerCase();
  const loopbackHost = policy.loopback && LOOPBACK_HOST.test(host);
  if (!loopbackHost && !policy.hosts.has(host)) return 'host_not_allowed';
  if (request.origin === undefined) return undefined;
  if (!options.originOnEveryMethod && SAFE_METHODS.has(request.method)) return undefined;
  const origin = request.origin.toLowerCase();
  if (policy.origins.has(origin)) return undefined;
  // A loopback server's own origin is the one its Host names (a page it served under 127.0.0.1 posts from there).
  if (loopbackHost && origin === `${policy.scheme}//${host}`) return undefined;
  return 'origin_not_allowed';
}
