/**
 * RFC 9449 §4.3 check 9: `htu` is compared with the URI of the request "ignoring any query and fragment parts",
 * after syntax-based and scheme-based normalization (RFC 3986 §6.2.2 and §6.2.3), which the WHATWG URL parser
 * performs: lower-case scheme and host, the default port dropped, an empty path made `/`, dot segments removed,
 * percent-encoding in upper case.
 */

/** The normalized form of an `htu` or request URI, or `undefined` when it is not an absolute http(s) URI. */
export function normalizeHtu(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // RFC 9449 §4.2: htu carries no query and no fragment; the request's own are ignored in the comparison.
  url.search = '';
  url.hash = '';
  // RFC 3986 §6.2.2.1: percent-encoded triplets compare case-insensitively; the parser keeps them as sent.
  const path = url.pathname.replace(/%[0-9a-f]{2}/gi, (triplet) => triplet.toUpperCase());
  return `${url.protocol}//${url.host}${path}`;
}
