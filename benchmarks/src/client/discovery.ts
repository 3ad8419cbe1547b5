import { WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER, WELL_KNOWN_OPENID_CONFIGURATION } from '@ema/protocol';

/** The endpoints the benchmark uses, read from the servers' own metadata rather than assumed. */
export interface DiscoveredEndpoints {
  idpAuthorizationEndpoint: string;
  idpTokenEndpoint: string;
  rasTokenEndpoint: string;
}

/** Reads the IdP's OIDC discovery document and the RAS's RFC 8414 metadata. */
export async function discoverEndpoints(idpIssuer: string, rasIssuer: string): Promise<DiscoveredEndpoints> {
  const idp = await metadata(`${idpIssuer}${WELL_KNOWN_OPENID_CONFIGURATION}`, idpIssuer);
  const ras = await metadata(`${rasIssuer}${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}`, rasIssuer);
  return {
    idpAuthorizationEndpoint: endpoint(idp, 'authorization_endpoint'),
    idpTokenEndpoint: endpoint(idp, 'token_endpoint'),
    rasTokenEndpoint: endpoint(ras, 'token_endpoint'),
  };
}

/**
 * The `jwks_uri` a server publishes in its metadata. The harness starts each app only once the app it trusts is up,
 * and points it at the key set that app actually publishes instead of assuming a path. `from`: where to ask (one
 * instance behind a balancer that is not up yet); the document must still name `issuer`.
 */
export async function discoverJwksUri(kind: 'oidc' | 'oauth', issuer: string, from = issuer): Promise<string> {
  const path = kind === 'oidc' ? WELL_KNOWN_OPENID_CONFIGURATION : WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER;
  return endpoint(await metadata(`${from}${path}`, issuer), 'jwks_uri');
}

async function metadata(url: string, issuer: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null) throw new Error(`${url}: not a JSON object`);
  const document = body as Record<string, unknown>;
  // RFC 8414 §3.3 / OIDC Discovery §4.3: the issuer in the metadata must be the one we derived the URL from.
  if (document.issuer !== issuer) throw new Error(`${url}: issuer ${String(document.issuer)} is not ${issuer}`);
  return document;
}

function endpoint(document: Record<string, unknown>, name: string): string {
  const value = document[name];
  if (typeof value !== 'string') throw new Error(`metadata has no ${name}`);
  return value;
}
