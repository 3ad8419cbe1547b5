/**
 * One action's authorization at one MCP server for one user (connect, list tools, call a tool): discovery, the
 * ID-JAG exchange, the jwt-bearer grant, the cached access token, the silent re-mint and the one-time up-scope.
 * Every HTTP exchange goes through the observed fetch, and is reported to the action's observer when there is one.
 */
import { parseScope, REVOKED_ACCESS_TOKEN_DESCRIPTION } from '@ema/protocol';
import type { CachedAccessToken } from './access-token-cache.js';
import type { ClientAuthentication } from './client-authentication.js';
import type { EmaClientState } from './client-state.js';
import type { EmaUser } from './configuration.js';
import { type AuthorizationDiscovery, discoverAuthorization } from './discovery/discover-authorization.js';
import { dpopFetch } from './dpop/dpop-fetch.js';
import type { DpopKeyPair } from './dpop/dpop-keys.js';
import {
  AccessRevokedError,
  type FlowParty,
  GrantRefusedError,
  InsufficientScopeError,
  SubjectTokenUnavailableError,
  UnknownAuthorizationServerError,
} from './errors.js';
import { type IssuedAccessToken, redeemIdJag } from './grants/jwt-bearer.js';
import { type IssuedIdJag, requestIdJag } from './grants/token-exchange.js';
import {
  AUTHORIZATION_SERVER_METADATA,
  JWT_BEARER_GRANT,
  mcpRequestLabel,
  PROTECTED_RESOURCE_METADATA,
  TOKEN_EXCHANGE,
} from './http/flow-labels.js';
import { type Labeller, observedFetch } from './http/observed-fetch.js';
import type { ExchangeObserver, FetchLike } from './http/observer.js';
import { requireSecureUrl } from './http/transport-security.js';
import { challengeNotingFetch, resourceFetch } from './resource-fetch.js';
import { scopesToRequest } from './scope-selection.js';
import { type BearerChallenge, parseBearerChallenge } from './www-authenticate.js';

/** Options of one action. */
export interface AuthorizationOptions {
  /** Receives each HTTP exchange of the action (none by default). */
  observer?: ExchangeObserver;
}

/** An ID-JAG for the next access token, not yet redeemed (see {@link ServerAuthorization.requestGrant}). */
export interface IdJagGrant {
  /** The ID-JAG the IdP issued, checked against what was asked for. */
  idJag: string;
  /** The scopes to ask the RAS for: those the IdP granted, else those asked of it. */
  scopes: string[];
  /** The scopes asked of the IdP, asked again at the next re-mint. */
  requestedScopes: string[];
}

/** See the module comment. */
export class ServerAuthorization {
  readonly user: EmaUser;
  readonly serverUrl: string;
  /**
   * The fetch to give the MCP client's transport: it presents the access token to the MCP server and answers its
   * Bearer challenges (see `resourceFetch`).
   */
  readonly fetch: FetchLike;
  /**
   * The fetch to give an MCP client whose own OAuth machinery answers the server's challenges (the MCP SDK's
   * `auth()`, through `EmaOAuthClientProvider`): it notes each Bearer challenge of the MCP server and answers none,
   * so that discovery follows the challenge's `resource_metadata` and an up-scope asks for its `scope`.
   */
  readonly challengeNotingFetch: FetchLike;
  readonly #state: EmaClientState;
  readonly #observer: ExchangeObserver | undefined;
  #lastChallenge: BearerChallenge | undefined;
  /** How many exchanges this action made for an insufficient_scope challenge (docs/protocol.md: at most one). */
  #upScopeAttempts = 0;
  /** The MCP server said the token was revoked (not expired): one new grant is tried, then the user is told. */
  #revoked = false;

  constructor(state: EmaClientState, user: EmaUser, serverUrl: string, options: AuthorizationOptions = {}) {
    this.#state = state;
    this.user = user;
    this.serverUrl = serverUrl;
    this.#observer = options.observer;
    const send = this.#observed('mcp', (url, init) => mcpRequestLabel(url, new URL(serverUrl), init));
    this.fetch = resourceFetch(this, send, state.settings);
    const elsewhere = this.#observed('ras', (_url, init) =>
      init?.method === 'POST' ? JWT_BEARER_GRANT : AUTHORIZATION_SERVER_METADATA,
    );
    this.challengeNotingFetch = challengeNotingFetch(this, send, elsewhere, state.settings);
  }

  /** The last Bearer challenge the MCP server answered with (401 or 403). */
  get lastChallenge(): BearerChallenge | undefined {
    return this.#lastChallenge;
  }

  /** Remembers the Bearer challenge of a 401 or 403 answer of the MCP server, and returns it. */
  noteChallenge(response: Response): BearerChallenge | undefined {
    if (response.status !== 401 && response.status !== 403) return undefined;
    const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
    if (challenge) this.#lastChallenge = challenge;
    if (response.status === 401 && isRevocation(challenge)) this.#revoked = true;
    return challenge;
  }

  /** Whether the MCP server refused this action's token as revoked. */
  get revoked(): boolean {
    return this.#revoked;
  }

  /** The DPoP key of this connection, when the client uses DPoP (RFC 9449). */
  #dpopKey(): Promise<DpopKeyPair | undefined> {
    return this.#state.settings.dpopKeys?.keyFor(this.user.key, this.serverUrl) ?? Promise.resolve(undefined);
  }

  /** `send` with a DPoP proof by `key` on every request (and the nonce retry), or `send` itself without a key. */
  #withProof(send: FetchLike, key: DpopKeyPair | undefined, accessToken?: string): FetchLike {
    if (key === undefined) return send;
    return dpopFetch(send, {
      key,
      nonces: this.#state.dpopNonces,
      ...(accessToken === undefined ? {} : { accessToken }),
    });
  }

  /** See {@link ChallengeAnswering.proofFetch}. */
  async proofFetch(send: FetchLike, token: CachedAccessToken): Promise<FetchLike> {
    const key = await this.#dpopKey();
    // A DPoP token is only ever stored when a key made it; without one the request goes out and is refused.
    return this.#withProof(send, key, token.accessToken);
  }

  /** The base fetch for calls to `party`, with the client's time-out and size bound, reported to the observer. */
  #observed(party: FlowParty, label: Labeller): FetchLike {
    return observedFetch(this.#state.settings.http, party, label, this.#observer);
  }

  /** Discovery (step 2), or its remembered result (a fresh connect forgets it first). */
  async discover(): Promise<AuthorizationDiscovery> {
    const known = this.knownDiscovery();
    if (known) return known;
    const { settings } = this.#state;
    const discovery = await discoverAuthorization({
      serverUrl: this.serverUrl,
      challenge: this.#lastChallenge,
      allowInsecureLoopback: settings.allowInsecureLoopback,
      acceptUnadvertisedIdJagProfile: settings.acceptUnadvertisedIdJagProfile,
      isRegisteredAt: (issuer) => settings.rasClientAuthentication(issuer) !== undefined,
      fetchResourceMetadata: this.#observed('mcp', () => PROTECTED_RESOURCE_METADATA),
      fetchAuthorizationServerMetadata: this.#observed('ras', () => AUTHORIZATION_SERVER_METADATA),
    });
    this.#state.discoveries.set(this.user.key, this.serverUrl, discovery);
    return discovery;
  }

  /** The discovery result if already known, without any network call. */
  knownDiscovery(): AuthorizationDiscovery | undefined {
    return this.#state.discoveries.get(this.user.key, this.serverUrl);
  }

  /** The host's client authentication at the discovered RAS; refuses a RAS it is not registered at. */
  rasClientAuthentication(discovery: AuthorizationDiscovery): ClientAuthentication {
    const issuer = discovery.authorizationServer.issuer;
    const authentication = this.#state.settings.rasClientAuthentication(issuer);
    if (!authentication) throw new UnknownAuthorizationServerError(issuer);
    return authentication;
  }

  /** The scopes of the last token the RAS issued for (user, server), fresh or not. */
  heldScopes(): string[] {
    return this.#state.cache.last(this.user.key, this.serverUrl)?.scopes ?? [];
  }

  /**
   * Token exchange at the IdP for an ID-JAG (step 3). On an up-scope, refuses a second attempt in the same action,
   * and refuses early when the IdP did not grant what the server needs (the retry could only fail).
   */
  async #exchange(
    discovery: AuthorizationDiscovery,
    scopes: readonly string[],
    key: DpopKeyPair | undefined,
  ): Promise<IssuedIdJag> {
    const challenge = this.#lastChallenge;
    const upScope = challenge?.error === 'insufficient_scope';
    const required = upScope ? parseScope(challenge.scope) : [];
    if (upScope) {
      if (this.#upScopeAttempts >= 1) throw new InsufficientScopeError(required, this.heldScopes());
      this.#upScopeAttempts += 1;
    }
    const { settings } = this.#state;
    const issued = await requestIdJag({
      // openid-client's allowInsecureRequests (the loopback opt-out) allows http to ANY host; the subject token goes
      // only to https, or to http on loopback under the opt-out (RFC 9700 §2.6).
      tokenEndpoint: requireSecureUrl(await settings.idp.tokenEndpoint(), settings).href,
      clientAuthentication: settings.idp.clientAuthentication,
      audience: discovery.authorizationServer.issuer,
      resource: discovery.protectedResource.resource,
      rasClientId: this.rasClientAuthentication(discovery).clientId,
      scopes,
      subjectToken: await this.user.subjectToken(),
      // RFC 9449 §5 / ID-JAG §3 cnf: the proof makes the IdP bind the ID-JAG to this connection's key.
      fetch: this.#withProof(
        this.#observed('idp', () => TOKEN_EXCHANGE),
        key,
      ),
      now: settings.now,
    });
    if (upScope && issued.scope !== undefined) {
      const granted = parseScope(issued.scope);
      if (!required.every((scope) => granted.includes(scope))) throw new InsufficientScopeError(required, granted);
    }
    return issued;
  }

  /**
   * Step 3 alone, for a client whose own token request redeems the ID-JAG (the MCP SDK's `auth()`): the scopes to ask
   * for (the challenge, the last request, the PRM), then the token exchange at the IdP. Keep what the RAS answers
   * with {@link keepAccessToken}. With a DPoP `key`, the IdP binds the ID-JAG to it (`cnf.jkt`).
   */
  async requestGrant(discovery: AuthorizationDiscovery, key?: DpopKeyPair): Promise<IdJagGrant> {
    const last = this.#state.cache.last(this.user.key, this.serverUrl);
    const requestedScopes = scopesToRequest(this.#lastChallenge, last, discovery);
    const issued = await this.#exchange(discovery, requestedScopes, key);
    const scopes = issued.scope !== undefined ? parseScope(issued.scope) : requestedScopes;
    return { idJag: issued.idJag, scopes, requestedScopes };
  }

  /** Caches the access token the RAS issued for `grant`, for this user at this server. */
  keepAccessToken(discovery: AuthorizationDiscovery, grant: IdJagGrant, token: IssuedAccessToken): CachedAccessToken {
    return this.#state.cache.store(this.user.key, this.serverUrl, {
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      expiresIn: token.expiresIn,
      // RFC 6749 §5.1: an absent scope means the scope requested of the RAS was granted.
      scopes: token.scope !== undefined ? parseScope(token.scope) : [...grant.scopes],
      requestedScopes: grant.requestedScopes,
      issuer: discovery.authorizationServer.issuer,
    });
  }

  /** Mints a new access token: exchange at the IdP, then the jwt-bearer grant at the RAS (steps 3 and 4). */
  async mint(discovery: AuthorizationDiscovery): Promise<CachedAccessToken> {
    const key = offersDpop(discovery) ? await this.#dpopKey() : undefined;
    const grant = await this.requestGrant(discovery, key);
    const token = await redeemIdJag({
      tokenEndpoint: discovery.authorizationServer.token_endpoint,
      clientAuthentication: this.rasClientAuthentication(discovery),
      idJag: grant.idJag,
      scopes: grant.scopes,
      resource: discovery.protectedResource.resource,
      // A bound ID-JAG is redeemed only with a proof by the same key; the access token is then bound to it too.
      fetch: this.#withProof(
        this.#observed('ras', () => JWT_BEARER_GRANT),
        key,
      ),
      dpop: key !== undefined,
    });
    return this.keepAccessToken(discovery, grant, token);
  }

  /**
   * Answers the MCP server's last challenge: discovery when not yet known, then a new token. After a revocation the
   * new grant is tried once; if the IdP or the RAS refuses it, access was cut, and that is what the caller learns
   * ({@link AccessRevokedError}), not an expired sign-in or a bare refusal.
   */
  async answerChallenge(): Promise<CachedAccessToken> {
    const discovery = await this.discover();
    if (!this.#revoked) return this.mint(discovery);
    // The revoked token must not be presented again, whatever happens next.
    this.#state.cache.forget(this.user.key, this.serverUrl);
    try {
      return await this.mint(discovery);
    } catch (error) {
      if (error instanceof SubjectTokenUnavailableError) throw new AccessRevokedError('idp', error.message);
      if (error instanceof GrantRefusedError) throw new AccessRevokedError(error.party, error.error);
      throw error;
    }
  }

  /**
   * A usable access token: the cached one while fresh, else a silently re-minted one when discovery is known.
   * Undefined before the first discovery (the MCP server's 401 starts it).
   */
  async accessToken(): Promise<CachedAccessToken | undefined> {
    const fresh = this.freshAccessToken();
    if (fresh) return fresh;
    const discovery = this.knownDiscovery();
    if (!discovery) return undefined;
    return this.mint(discovery);
  }

  /** The cached access token while it is fresh; never a network call. */
  freshAccessToken(): CachedAccessToken | undefined {
    return this.#state.cache.fresh(this.user.key, this.serverUrl);
  }

  /** Forgets this user's access token at this server and, with `discovery`, what discovery found there. */
  forget(options: { token?: boolean; discovery?: boolean }): void {
    if (options.token === true) this.#state.cache.forget(this.user.key, this.serverUrl);
    if (options.discovery === true) this.#state.discoveries.forget(this.user.key, this.serverUrl);
  }
}

function isRevocation(challenge: BearerChallenge | undefined): boolean {
  return challenge?.error === 'invalid_token' && challenge.errorDescription === REVOKED_ACCESS_TOKEN_DESCRIPTION;
}

/**
 * RFC 9449 §5.1, RFC 9728 §2: a connection uses DPoP only where both its MCP server and its authorization server say
 * they accept ES256 proofs (`dpop_signing_alg_values_supported`); elsewhere a bound token could only be refused.
 */
function offersDpop(discovery: AuthorizationDiscovery): boolean {
  const algorithms = (metadata: Record<string, unknown>): unknown[] => {
    const value = metadata.dpop_signing_alg_values_supported;
    return Array.isArray(value) ? value : [];
  };
  return (
    algorithms(discovery.protectedResource).includes('ES256') &&
    algorithms(discovery.authorizationServer).includes('ES256')
  );
}
