/**
 * One action's authorization at one MCP server for one user: discovery, the ID-JAG exchange, the jwt-bearer grant,
 * the cached access token, and the up-scope. Every HTTP exchange goes through the recorder.
 */
import { IDP_ONLY_SCOPES, parseScope } from '@ema/protocol';
import type { CachedAccessToken } from './access-token-cache.js';
import { clientSecretBasic } from './client-authentication.js';
import { type AuthorizationDiscovery, discoverAuthorization } from './discovery.js';
import type { EmaClient, EmaUser } from './ema-client.js';
import { InsufficientScopeError, UnknownAuthorizationServerError } from './errors.js';
import { redeemIdJag } from './jwt-bearer.js';
import type { FetchLike, FlowRecorder, Labeller } from './recorder.js';
import { type IssuedIdJag, requestIdJag } from './token-exchange.js';
import { requireSecureUrl } from './transport-security.js';
import { type BearerChallenge, parseBearerChallenge } from './www-authenticate.js';

/** Union of scope lists, in first-seen order, without the IdP's own sign-in scopes (EMA §7). */
export function unionScopes(...lists: ReadonlyArray<readonly string[] | undefined>): string[] {
  const out = new Set<string>();
  for (const list of lists) for (const scope of list ?? []) if (!IDP_ONLY_SCOPES.includes(scope)) out.add(scope);
  return [...out];
}

/** See the module comment. */
export class ServerAuthorization {
  readonly client: EmaClient;
  readonly user: EmaUser;
  readonly serverUrl: string;
  readonly recorder: FlowRecorder;
  /** The last Bearer challenge the MCP server answered with (401 or 403). */
  lastChallenge: BearerChallenge | undefined;
  /** How many exchanges this action made for an insufficient_scope challenge (EMA profile: at most one). */
  upScopeAttempts = 0;
  readonly #baseFetch: FetchLike;

  constructor(client: EmaClient, user: EmaUser, serverUrl: string, recorder: FlowRecorder) {
    this.client = client;
    this.user = user;
    this.serverUrl = serverUrl;
    this.recorder = recorder;
    this.#baseFetch = client.options.fetch ?? fetch;
  }

  /** The fetch for the MCP transport: recorded, and noting each Bearer challenge of the server. */
  readonly transportFetch: FetchLike = async (input, init) => {
    const recorded = this.#recorded((url, requestInit) => {
      const body = requestInit?.body;
      const grant = body instanceof URLSearchParams ? body.get('grant_type') : null;
      if (grant !== null) return { step: 'jwt-bearer', party: 'ras', title: 'JWT bearer grant at the RAS (RFC 7523)' };
      const authorized = new Headers(requestInit?.headers).has('authorization');
      if (!authorized && url.href === this.serverUrl) {
        return {
          step: 'discovery',
          party: 'mcp',
          title: 'MCP request without a token: the 401 challenge (MCP-AUTH)',
        };
      }
      return { step: 'mcp', party: 'mcp', title: `MCP ${describeMcpRequest(requestInit)}` };
    });
    const response = await recorded(input, init);
    if (response.status === 401 || response.status === 403) {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      if (challenge) this.lastChallenge = challenge;
    }
    return response;
  };

  /** The base fetch, recorded under `label`, with the client's time-out and response-size bound. */
  #recorded(label: Labeller): FetchLike {
    const { timeoutMs, maxResponseBytes } = this.client.options;
    return this.recorder.fetch(this.#baseFetch, label, timeoutMs, maxResponseBytes);
  }

  /** Discovery, or its remembered result (a fresh connect forgets it first). */
  async discover(): Promise<AuthorizationDiscovery> {
    const known = this.client.discovery(this.user.key, this.serverUrl);
    if (known) return known;
    const { options } = this.client;
    const discovery = await discoverAuthorization({
      serverUrl: this.serverUrl,
      challenge: this.lastChallenge,
      allowInsecureLoopback: options.allowInsecureLoopback,
      isRegisteredAt: (issuer) => options.rasCredentials(issuer) !== undefined,
      ...(options.acceptUnadvertisedIdJagProfile ? { acceptUnadvertisedIdJagProfile: true } : {}),
      fetchResourceMetadata: this.#recorded({
        step: 'discovery',
        party: 'mcp',
        title: 'Protected resource metadata (RFC 9728)',
      }),
      fetchAuthorizationServerMetadata: this.#recorded({
        step: 'discovery',
        party: 'ras',
        title: 'Authorization server metadata (RFC 8414)',
      }),
    });
    this.client.rememberDiscovery(this.user.key, this.serverUrl, discovery);
    return discovery;
  }

  /** The discovery result if already known, without any network call. */
  knownDiscovery(): AuthorizationDiscovery | undefined {
    return this.client.discovery(this.user.key, this.serverUrl);
  }

  /** The host's credentials at the discovered RAS; refuses a RAS it is not registered at. */
  rasCredentials(discovery: AuthorizationDiscovery): { clientId: string; clientSecret: string } {
    const issuer = discovery.authorizationServer.issuer;
    const credentials = this.client.options.rasCredentials(issuer);
    if (!credentials) throw new UnknownAuthorizationServerError(issuer);
    return credentials;
  }

  /**
   * The scopes to ask for next. On an insufficient_scope challenge: the union of what we hold and what the server
   * asks (MCP-AUTH step-up). Else: the challenge's scope, then the last request, then the PRM's `scopes_supported`
   * (MCP-AUTH scope selection strategy).
   */
  scopesToRequest(discovery: AuthorizationDiscovery): string[] {
    const last = this.client.cache.last(this.user.key, this.serverUrl);
    const challenge = this.lastChallenge;
    if (challenge?.error === 'insufficient_scope') {
      return unionScopes(last?.scopes, last?.requestedScopes, parseScope(challenge.scope));
    }
    if (challenge?.scope) return unionScopes(parseScope(challenge.scope), last?.requestedScopes);
    if (last) return unionScopes(last.requestedScopes);
    return unionScopes(discovery.protectedResource.scopes_supported);
  }

  /**
   * Token exchange at the IdP for an ID-JAG (step 3). On an up-scope, refuses a second attempt in the same action,
   * and refuses early when the IdP did not grant what the server needs (the retry could only fail).
   */
  async exchange(discovery: AuthorizationDiscovery, scopes: readonly string[]): Promise<IssuedIdJag> {
    const upScope = this.lastChallenge?.error === 'insufficient_scope';
    const required = upScope ? parseScope(this.lastChallenge?.scope) : [];
    const held = this.client.cache.last(this.user.key, this.serverUrl)?.scopes ?? [];
    if (upScope) {
      if (this.upScopeAttempts >= 1) throw new InsufficientScopeError(required, held);
      this.upScopeAttempts += 1;
    }
    const { options } = this.client;
    const issued = await requestIdJag({
      // openid-client's allowInsecureRequests (the loopback opt-out) allows http to ANY host; the subject token goes
      // only to https, or to http on loopback under the opt-out (RFC 9700 §2.6).
      tokenEndpoint: requireSecureUrl(await options.idp.tokenEndpoint(), options).href,
      clientAuthentication: options.idp.clientAuthentication,
      audience: discovery.authorizationServer.issuer,
      resource: discovery.protectedResource.resource,
      scopes,
      subjectToken: await this.user.subjectToken(),
      fetch: this.#recorded({ step: 'token-exchange', party: 'idp', title: 'Token exchange at the IdP (RFC 8693)' }),
    });
    if (upScope && issued.scope !== undefined) {
      const granted = parseScope(issued.scope);
      if (!required.every((scope) => granted.includes(scope))) throw new InsufficientScopeError(required, granted);
    }
    return issued;
  }

  /** Stores a token the RAS issued. */
  store(
    discovery: AuthorizationDiscovery,
    token: { accessToken: string; expiresIn: number | undefined; scope: string | undefined },
    requested: readonly string[],
  ): CachedAccessToken {
    return this.client.cache.store(this.user.key, this.serverUrl, {
      accessToken: token.accessToken,
      expiresIn: token.expiresIn,
      // RFC 6749 §5.1: an absent scope means the requested scope was granted.
      scopes: token.scope !== undefined ? parseScope(token.scope) : [...requested],
      requestedScopes: [...requested],
      issuer: discovery.authorizationServer.issuer,
    });
  }

  /** Mints a new access token: exchange at the IdP, then the jwt-bearer grant at the RAS (steps 3 and 4). */
  async mint(discovery: AuthorizationDiscovery): Promise<CachedAccessToken> {
    const requested = this.scopesToRequest(discovery);
    const issued = await this.exchange(discovery, requested);
    const token = await redeemIdJag({
      tokenEndpoint: discovery.authorizationServer.token_endpoint,
      clientAuthentication: clientSecretBasic(this.rasCredentials(discovery)),
      idJag: issued.idJag,
      scopes: issued.scope !== undefined ? parseScope(issued.scope) : requested,
      resource: discovery.protectedResource.resource,
      fetch: this.#recorded({ step: 'jwt-bearer', party: 'ras', title: 'JWT bearer grant at the RAS (RFC 7523)' }),
    });
    return this.store(discovery, token, requested);
  }

  /**
   * A usable access token: the cached one while fresh, else a silently re-minted one when discovery is known.
   * Undefined before the first discovery (the MCP server's 401 starts it).
   */
  async accessToken(): Promise<CachedAccessToken | undefined> {
    const fresh = this.client.cache.fresh(this.user.key, this.serverUrl);
    if (fresh) return fresh;
    const discovery = this.knownDiscovery();
    if (!discovery) return undefined;
    return this.mint(discovery);
  }
}

function describeMcpRequest(init: RequestInit | undefined): string {
  if (typeof init?.body === 'string') {
    try {
      const message = JSON.parse(init.body) as { method?: unknown };
      if (typeof message.method === 'string') return `${init.method ?? 'POST'} ${message.method}`;
    } catch {
      // Not JSON-RPC: described by its method alone.
    }
  }
  return init?.method ?? 'GET';
}
