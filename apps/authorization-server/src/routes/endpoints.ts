/**
 * The path of the issuer identifier (`''` for an issuer at the root, `/tenant-a` for `https://as.example/tenant-a`):
 * every endpoint is served under it, and the metadata at the well-known URL with it appended (RFC 8414 §3.1).
 */
export function issuerPath(issuer: string): string {
  const { pathname } = new URL(issuer);
  return pathname === '/' ? '' : pathname;
}

/** Where each endpoint lives, relative to the issuer (advertised through RFC 8414 metadata). */
export const ENDPOINT_PATHS = {
  token: '/token',
  /** The MCP server defaults its JWKS location to `<RAS issuer>/jwks.json`. */
  jwks: '/jwks.json',
  introspection: '/introspect',
  revocation: '/revoke',
} as const;

/** The client authentication methods every authenticated endpoint accepts (RFC 6749 §2.3.1). */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
