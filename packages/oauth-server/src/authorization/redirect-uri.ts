/**
 * Redirect URIs: how a presented `redirect_uri` is matched against the registered ones (RFC 6749 §3.1.2.3, RFC 9700
 * §2.1 and §4.1.3: exact string comparison), with the one exception native apps need (RFC 8252 §7.3), and which
 * URIs a client may register at all (MCP-AUTH 2025-11-25 "Communication Security": HTTPS, or loopback).
 */

/** Loopback IP literals (RFC 8252 §7.3). `localhost` is not one: §8.3 calls it NOT RECOMMENDED (a name can resolve
 * elsewhere), so it gets no port exception and is matched exactly. */
const LOOPBACK_IP_HOSTS = new Set(['127.0.0.1', '[::1]']);

/** Whether `url` is an `http` URI on a loopback IP literal (`127.0.0.1` or `[::1]`), the RFC 8252 §7.3 kind. */
export function isLoopbackIpRedirectUri(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_IP_HOSTS.has(url.hostname);
}

/** Whether `url` points at this machine: a loopback IP literal or `localhost`, over `http`. */
export function isLoopbackRedirectUri(url: URL): boolean {
  return url.protocol === 'http:' && (LOOPBACK_IP_HOSTS.has(url.hostname) || url.hostname === 'localhost');
}

/**
 * Whether the presented `redirect_uri` matches one the client registered. Exact string comparison (RFC 9700 §2.1),
 * except that for a registered loopback IP redirect URI (`http://127.0.0.1/…`, `http://[::1]/…`) any port is
 * accepted, everything else (scheme, host, path, query) still identical: RFC 8252 §7.3, because a native app
 * listens on whatever port the operating system gives it at the time of the request.
 */
export function matchRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  if (!URL.canParse(presented) || !isLoopbackIpRedirectUri(new URL(presented))) return false;
  const withoutPort = stripLoopbackPort(presented);
  return registered.some(
    (uri) => URL.canParse(uri) && isLoopbackIpRedirectUri(new URL(uri)) && stripLoopbackPort(uri) === withoutPort,
  );
}

// On the raw string, not a parsed URL: the parser normalises (case, default ports, percent-encoding, dot segments),
// and a match must never be wider than exact string comparison apart from the port.
function stripLoopbackPort(uri: string): string {
  return uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::\d{1,5})?(?=[/?]|$)/, '$1');
}

/**
 * Why a redirect URI may not be registered, or `undefined` when it may: an absolute URI without a fragment
 * (RFC 6749 §3.1.2), `https`, or `http` on loopback (MCP-AUTH 2025-11-25 "Communication Security": redirect URIs are
 * localhost or HTTPS; RFC 8252 §7.3 for native apps). Custom schemes are not accepted.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return 'is not an absolute URI';
  const url = new URL(uri);
  if (url.hash !== '' || uri.includes('#')) return 'must not have a fragment';
  if (url.username !== '' || url.password !== '') return 'must not carry user information';
  if (url.protocol === 'https:') return undefined;
  if (isLoopbackRedirectUri(url)) return undefined;
  return 'must use https, or http on a loopback address';
}
