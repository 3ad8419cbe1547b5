/**
 * The `OAuthClientProvider` the MCP SDK's `auth()` drives, implementing EMA instead of an interactive OAuth flow.
 *
 * How the SDK uses it (sdk 1.x `client/auth.js`, `client/streamableHttp.js`): the transport puts `tokens()` on
 * every request; on a 401 or a 403 `insufficient_scope` it calls `auth()`, which takes `discoveryState()` (ours:
 * checked discovery, so the SDK's laxer discovery never runs), `clientInformation()` (the RAS credentials), then,
 * because `redirectUrl` is undefined (a non-interactive flow), `prepareTokenRequest()` (ours: the token exchange at
 * the IdP, returning the jwt-bearer parameters), `addClientAuthentication()` and POSTs to the RAS token endpoint,
 * then `saveTokens()`. `redirectToAuthorization()` is never reached; if it were, it throws.
 */

import { GRANT_TYPE_JWT_BEARER, parseScope } from '@ema/protocol';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { clientSecretBasic } from './client-authentication.js';
import type { AuthorizationDiscovery } from './discovery.js';
import { InteractiveAuthorizationNotAllowedError } from './errors.js';
import { jwtBearerParams, requireBearerTokenType } from './jwt-bearer.js';
import type { ServerAuthorization } from './server-authorization.js';
import { readExpiresIn } from './token-endpoint.js';

/** See the module comment. */
export class EmaOAuthClientProvider implements OAuthClientProvider {
  readonly #authorization: ServerAuthorization;
  /** Scopes asked for in the grant now in flight (set by prepareTokenRequest, read by saveTokens). */
  #requested: string[] = [];
  /** Called whenever the SDK would have started an interactive flow (tests assert it never is). */
  readonly onInteractiveAttempt: (() => void) | undefined;

  constructor(authorization: ServerAuthorization, options: { onInteractiveAttempt?: () => void } = {}) {
    this.#authorization = authorization;
    this.onInteractiveAttempt = options.onInteractiveAttempt;
  }

  /** Undefined: EMA is non-interactive, so the SDK never builds an authorization URL. */
  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      redirect_uris: [],
      grant_types: [GRANT_TYPE_JWT_BEARER],
      token_endpoint_auth_method: 'client_secret_basic',
      client_name: 'EMA agent host',
    };
  }

  /** The host's pre-registered credentials at the discovered RAS (never dynamic registration). */
  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const discovery = this.#authorization.knownDiscovery();
    if (!discovery) return undefined;
    const credentials = this.#authorization.rasCredentials(discovery);
    return {
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      issuer: discovery.authorizationServer.issuer,
    };
  }

  /** The cached access token, re-minted silently when it is about to expire. */
  async tokens(): Promise<OAuthTokens | undefined> {
    const token = await this.#authorization.accessToken();
    if (!token) return undefined;
    return { access_token: token.accessToken, token_type: 'Bearer', scope: token.scopes.join(' ') };
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const discovery = await this.#authorization.discover();
    requireBearerTokenType(tokens.token_type);
    // RFC 6749 §5.1: expires_in is a positive number of seconds; the SDK's schema lets 0, negatives and NaN
    // through, which would make every later action re-mint (or cache a token that is already dead).
    const expiresIn = readExpiresIn('ras', { expires_in: tokens.expires_in });
    this.#authorization.store(
      discovery,
      { accessToken: tokens.access_token, expiresIn, scope: tokens.scope },
      this.#requested,
    );
  }

  /** EMA: never fall back to an interactive per-user authorization. */
  redirectToAuthorization(): never {
    this.onInteractiveAttempt?.();
    throw new InteractiveAuthorizationNotAllowedError();
  }

  saveCodeVerifier(): never {
    this.onInteractiveAttempt?.();
    throw new InteractiveAuthorizationNotAllowedError();
  }

  codeVerifier(): never {
    this.onInteractiveAttempt?.();
    throw new InteractiveAuthorizationNotAllowedError();
  }

  /**
   * RFC 6749 §2.3.1 client_secret_basic with the RAS credentials (id and secret form-encoded first). An arrow
   * property: the SDK passes it around detached from the provider.
   */
  readonly addClientAuthentication = async (headers: Headers, params: URLSearchParams): Promise<void> => {
    const discovery = await this.#authorization.discover();
    clientSecretBasic(this.#authorization.rasCredentials(discovery))(headers, params);
  };

  /** The token exchange at the IdP; returns the jwt-bearer grant the SDK then posts to the RAS. */
  async prepareTokenRequest(): Promise<URLSearchParams> {
    const discovery = await this.#authorization.discover();
    const requested = this.#authorization.scopesToRequest(discovery);
    const issued = await this.#authorization.exchange(discovery, requested);
    this.#requested = requested;
    return jwtBearerParams(
      issued.idJag,
      issued.scope !== undefined ? parseScope(issued.scope) : requested,
      discovery.protectedResource.resource,
    );
  }

  /** Our discovery (issuer checked, ID-JAG profile required), run on the first 401. */
  async discoveryState(): Promise<OAuthDiscoveryState> {
    return toSdkDiscoveryState(await this.#authorization.discover());
  }

  /** The SDK re-saves what discoveryState() returned; ours is already stored. */
  saveDiscoveryState(): void {}

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    const { client, user, serverUrl } = this.#authorization;
    if (scope === 'all' || scope === 'tokens' || scope === 'discovery') client.forget(user.key, serverUrl);
  }
}

/**
 * Our discovery result in the SDK's shape. The SDK reads only `token_endpoint` and the auth methods from the
 * metadata; a RAS serving only the jwt-bearer grant has no `authorization_endpoint`, which the SDK's type requires,
 * hence the cast at this boundary.
 */
function toSdkDiscoveryState(discovery: AuthorizationDiscovery): OAuthDiscoveryState {
  return {
    authorizationServerUrl: discovery.authorizationServer.issuer,
    resourceMetadataUrl: discovery.resourceMetadataUrl,
    resourceMetadata: discovery.protectedResource as unknown as OAuthProtectedResourceMetadata,
    authorizationServerMetadata: discovery.authorizationServer as unknown as AuthorizationServerMetadata,
  };
}
