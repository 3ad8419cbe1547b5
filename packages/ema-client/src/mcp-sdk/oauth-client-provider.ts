/**
 * `EmaOAuthClientProvider`: Enterprise-Managed Authorization as an `OAuthClientProvider` of the MCP SDK 1.x, for a
 * host that gives the SDK's transport an `authProvider` and lets the SDK's `auth()` answer the server's challenges.
 *
 * It is a non-interactive provider (`redirectUrl` undefined), so `auth()` goes straight to a token request:
 * `discoveryState()` hands the SDK this client's own checked discovery (so the SDK neither discovers nor posts
 * anything to a server this client has not checked), `prepareTokenRequest()` performs the token exchange at the IdP
 * and returns the jwt-bearer parameters, `addClientAuthentication()` applies the host's credentials at that RAS, and
 * `saveTokens()` keeps the access token in the client's cache. Asked for anything interactive it throws
 * `InteractiveAuthorizationNotAllowedError`: EMA never falls back to a per-user consent flow.
 *
 * The SDK hands a provider neither the challenge's `resource_metadata` nor its `scope`: give the transport
 * {@link EmaOAuthClientProvider.fetch} too, which notes them. And the SDK types the RAS metadata as its
 * `OAuthMetadata`, which requires `authorization_endpoint`: a RAS without one cannot be used through `auth()`
 * (`ERR_DISCOVERY_SDK_UNSUPPORTED`), where `withMcpClient` works with any EMA RAS.
 */
import { GRANT_TYPE_JWT_BEARER, TOKEN_TYPE_BEARER } from '@ema/protocol';
import type {
  AddClientAuthentication,
  OAuthClientProvider,
  OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuthorizationDiscovery } from '../discovery/discover-authorization.js';
import {
  InteractiveAuthorizationNotAllowedError,
  TokenResponseError,
  UnknownAuthorizationServerError,
} from '../errors.js';
import { jwtBearerParams } from '../grants/jwt-bearer.js';
import { readExpiresIn } from '../grants/token-request.js';
import type { FetchLike } from '../http/observer.js';
import type { IdJagGrant, ServerAuthorization } from '../server-authorization.js';
import { sdkDiscoveryState } from './sdk-discovery-state.js';

/** Options of {@link EmaOAuthClientProvider}. */
export interface EmaOAuthClientProviderOptions {
  /** `client_name` of the metadata the SDK reads (default `ema-agent-host`); nothing is ever registered. */
  clientName?: string;
}

type InvalidatedCredentials = 'all' | 'client' | 'tokens' | 'verifier' | 'discovery';

/** See the module comment. One provider per action, like the `ServerAuthorization` it wraps. */
export class EmaOAuthClientProvider implements OAuthClientProvider {
  /**
   * The fetch to give the transport beside the provider (`{ authProvider, fetch }`): the client's bounded, observed
   * fetch, which notes the MCP server's challenges so discovery follows `resource_metadata` and an up-scope asks
   * for `scope`. Without it the provider discovers from the well-known URLs and never widens its scopes.
   */
  readonly fetch: FetchLike;
  readonly #authorization: ServerAuthorization;
  readonly #clientName: string;
  /** The grant whose ID-JAG the SDK is redeeming, until `saveTokens` keeps the answer. */
  #pending: { discovery: AuthorizationDiscovery; grant: IdJagGrant } | undefined;

  constructor(authorization: ServerAuthorization, options: EmaOAuthClientProviderOptions = {}) {
    this.#authorization = authorization;
    this.#clientName = options.clientName ?? 'ema-agent-host';
    this.fetch = authorization.challengeNotingFetch;
  }

  /** Undefined: a non-interactive provider, so the SDK's `auth()` makes a token request and never redirects. */
  get redirectUrl(): undefined {
    return undefined;
  }

  /** What the SDK reads of this client: the jwt-bearer grant, no redirect URI. */
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.#clientName, redirect_uris: [], grant_types: [GRANT_TYPE_JWT_BEARER] };
  }

  /** This client's discovery (from the challenge, with every check of `discoverAuthorization`), for the SDK. */
  async discoveryState(): Promise<OAuthDiscoveryState> {
    return sdkDiscoveryState(await this.#authorization.discover());
  }

  /** The host's registration at the discovered RAS, bound to its issuer; a RAS it is not registered at is refused. */
  async clientInformation(): Promise<OAuthClientInformationMixed> {
    const discovery = await this.#authorization.discover();
    const { clientId } = this.#authorization.rasClientAuthentication(discovery);
    return { client_id: clientId, issuer: discovery.authorizationServer.issuer };
  }

  /** The cached access token while fresh; otherwise none, and the server's 401 has the SDK ask for a new one. */
  tokens(): OAuthTokens | undefined {
    const token = this.#authorization.freshAccessToken();
    if (token === undefined) return undefined;
    const scope = token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {};
    return { access_token: token.accessToken, token_type: TOKEN_TYPE_BEARER, ...scope };
  }

  /**
   * Steps 3 and 4 of EMA: the token exchange at the IdP for an ID-JAG, and the jwt-bearer parameters that redeem it.
   * The scopes come from the server's challenge and the last request (MCP-AUTH), not from the SDK's argument.
   */
  async prepareTokenRequest(): Promise<URLSearchParams> {
    const discovery = await this.#authorization.discover();
    const grant = await this.#authorization.requestGrant(discovery);
    this.#pending = { discovery, grant };
    return jwtBearerParams(grant.idJag, grant.scopes, discovery.protectedResource.resource);
  }

  /**
   * The host's credentials at the RAS, for its checked token endpoint only (RFC 6749 §2.3). A property, not a
   * method: the SDK calls it detached from the provider.
   */
  readonly addClientAuthentication: AddClientAuthentication = async (headers, params, url) => {
    const discovery = await this.#authorization.discover();
    const tokenEndpoint = discovery.authorizationServer.token_endpoint;
    if (new URL(String(url)).href !== new URL(tokenEndpoint).href) {
      throw new UnknownAuthorizationServerError(new URL(String(url)).origin);
    }
    this.#authorization.rasClientAuthentication(discovery)(headers, params);
  };

  /** Keeps the access token the RAS issued for the pending grant, checked as `redeemIdJag` checks it. */
  saveTokens(tokens: OAuthTokens): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) throw new TokenResponseError('ras', 'tokens arrived for no grant of this client');
    // RFC 6749 §5.1 / RFC 6750: a Bearer token, the type compared case-insensitively.
    if (tokens.token_type.toLowerCase() !== TOKEN_TYPE_BEARER.toLowerCase()) {
      throw new TokenResponseError('ras', `token_type is ${tokens.token_type}, expected Bearer`);
    }
    if (tokens.access_token.length === 0) throw new TokenResponseError('ras', 'access_token is empty');
    this.#authorization.keepAccessToken(pending.discovery, pending.grant, {
      accessToken: tokens.access_token,
      tokenType: 'Bearer',
      expiresIn: readExpiresIn('ras', tokens.expires_in),
      scope: tokens.scope,
    });
  }

  /** What the SDK asks to forget after a refusal: the token, and the discovery when it asks for that. */
  invalidateCredentials(scope: InvalidatedCredentials): void {
    // The registration at the RAS is configuration and there is no PKCE verifier: nothing else to forget.
    this.#authorization.forget({
      token: scope === 'all' || scope === 'tokens',
      discovery: scope === 'all' || scope === 'discovery',
    });
  }

  /** Refused: EMA never sends the user to an authorization endpoint. */
  redirectToAuthorization(): never {
    throw new InteractiveAuthorizationNotAllowedError('redirectToAuthorization');
  }

  /** Refused: EMA has no authorization code, so no PKCE verifier. */
  saveCodeVerifier(): never {
    throw new InteractiveAuthorizationNotAllowedError('saveCodeVerifier');
  }

  /** Refused: EMA has no authorization code, so no PKCE verifier. */
  codeVerifier(): never {
    throw new InteractiveAuthorizationNotAllowedError('codeVerifier');
  }
}
