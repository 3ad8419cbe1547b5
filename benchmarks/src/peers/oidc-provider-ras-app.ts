/**
 * The authorization server peer: a RAS on `oidc-provider` (the certified OpenID provider of Node) with the RFC 7523
 * jwt-bearer grant registered through its `registerGrantType`, redeeming the same ID-JAGs as our RAS. It checks what
 * such a sample checks (client authentication by oidc-provider, the ID-JAG's signature with the IdP's keys, `typ`,
 * `iss`, `aud`, `exp`, `client_id`, the resource, single use) and keeps its replay set in memory, as such samples do.
 * It issues an ES256 JWT access token (oidc-provider's `jwt` format for the resource). No audit record, no policy,
 * no subject lookup, no persistence: what an implementer gets from a generic provider and a page of code.
 */
import { GRANT_TYPE_JWT_BEARER, TYP_ID_JAG } from '@ema/protocol';
import { createRemoteJWKSet, type JWK, jwtVerify } from 'jose';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';

/** What the peer trusts and who may redeem. */
export interface OidcProviderPeerConfig {
  /** The issuer identifier: our RAS's, so that the ID-JAGs minted for it (`aud`) are for this peer too. */
  issuer: string;
  /** The trusted IdP (`iss` of the ID-JAGs) and its `jwks_uri`. */
  idpIssuer: string;
  idpJwksUri: string;
  /** The one resource it issues tokens for, and its scopes. */
  resource: string;
  scopes: readonly string[];
  /** The agent host's client at the RAS (client_secret_basic). */
  client: { clientId: string; clientSecret: string };
  /** The ES256 private signing key (JWK). */
  signingKey: JWK;
}

const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** Builds the provider (not listening: `provider.listen(port)`). */
export function buildOidcProviderPeer(config: OidcProviderPeerConfig): Provider {
  const provider = new Provider(config.issuer, {
    clients: [
      {
        client_id: config.client.clientId,
        client_secret: config.client.clientSecret,
        grant_types: [GRANT_TYPE_JWT_BEARER],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        // The provider's only key is ES256 (the JWT access tokens' alg); the default, RS256, would have no key.
        id_token_signed_response_alg: 'ES256',
        scope: config.scopes.join(' '),
      },
    ],
    jwks: { keys: [{ ...config.signingKey, alg: 'ES256', use: 'sig' }] },
    scopes: [...config.scopes],
    ttl: { AccessToken: ACCESS_TOKEN_TTL_SECONDS },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => config.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== config.resource) throw new errors.InvalidTarget();
          return {
            scope: config.scopes.join(' '),
            audience: config.resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });
  provider.registerGrantType(GRANT_TYPE_JWT_BEARER, jwtBearerGrant(provider, config), [
    'assertion',
    'scope',
    'resource',
  ]);
  return provider;
}

/** The grant handler: validates the ID-JAG, consumes its `jti`, issues the access token. */
function jwtBearerGrant(provider: Provider, config: OidcProviderPeerConfig) {
  const idpKeys = createRemoteJWKSet(new URL(config.idpJwksUri));
  // The replay set: jti -> exp (seconds); an entry is dropped once its ID-JAG would have expired anyway.
  const consumed = new Map<string, number>();
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const { params, client } = ctx.oidc;
    const assertion = typeof params?.assertion === 'string' ? params.assertion : undefined;
    if (assertion === undefined || client === undefined) throw new errors.InvalidRequest('assertion missing');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(assertion, idpKeys, {
        issuer: config.idpIssuer,
        audience: config.issuer,
        typ: TYP_ID_JAG,
        algorithms: ['ES256'],
        requiredClaims: ['jti', 'exp', 'iat', 'sub', 'client_id', 'resource'],
      }));
    } catch {
      throw new errors.InvalidGrant('invalid assertion');
    }
    if (claims.client_id !== client.clientId) throw new errors.InvalidGrant('client_id mismatch');
    const resource = typeof params?.resource === 'string' ? params.resource : config.resource;
    if (claims.resource !== resource || resource !== config.resource) throw new errors.InvalidTarget();
    const jti = String(claims.jti);
    const now = Math.floor(Date.now() / 1000);
    if (consumed.has(jti)) throw new errors.InvalidGrant('assertion already used');
    consumed.set(jti, Number(claims.exp));
    if (consumed.size % 1024 === 0) for (const [id, exp] of consumed) if (exp < now) consumed.delete(id);

    const granted = String(claims.scope ?? '')
      .split(' ')
      .filter((scope) => config.scopes.includes(scope));
    const token = new provider.AccessToken({
      accountId: String(claims.sub),
      client,
      // The grant this token comes from is the ID-JAG itself (no Grant record: nothing else refers to it).
      grantId: jti,
      gty: GRANT_TYPE_JWT_BEARER,
      scope: granted.join(' '),
    });
    token.resourceServer = new provider.ResourceServer(resource, {
      scope: config.scopes.join(' '),
      audience: config.resource,
      accessTokenFormat: 'jwt',
      accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
      jwt: { sign: { alg: 'ES256' } },
    });
    const value = await token.save();
    ctx.body = {
      access_token: value,
      token_type: 'Bearer',
      expires_in: token.expiration,
      scope: token.scope,
    };
  };
}
