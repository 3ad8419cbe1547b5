/**
 * The EMA client: what an agent host needs to reach MCP servers under Enterprise-Managed Authorization, without
 * any web framework. One {@link EmaClient} per process; one {@link ServerAuthorization} per (user, server) action.
 */
import { AccessTokenCache } from './access-token-cache.js';
import type { ClientAuthentication, ClientCredentials } from './client-authentication.js';
import type { AuthorizationDiscovery } from './discovery.js';
import type { FetchLike } from './recorder.js';
import { FlowRecorder } from './recorder.js';
import { ServerAuthorization } from './server-authorization.js';
import type { SubjectToken } from './token-exchange.js';

/** The IdP side of the client's configuration. */
export interface IdpClientSettings {
  /** The IdP token endpoint (resolved lazily: the IdP may start after the host). */
  tokenEndpoint: () => Promise<string>;
  /** The host's credentials at the IdP. */
  clientAuthentication: ClientAuthentication;
}

/** Options of {@link EmaClient}. */
export interface EmaClientOptions {
  idp: IdpClientSettings;
  /** The host's credentials at each RAS, by exact issuer identifier (the host has a different id at each). */
  rasCredentials: (issuer: string) => ClientCredentials | undefined;
  allowInsecureLoopback: boolean;
  /** See {@link DiscoveryOptions.acceptUnadvertisedIdJagProfile}. */
  acceptUnadvertisedIdJagProfile?: boolean;
  fetch?: FetchLike;
  /** Epoch milliseconds. */
  now?: () => number;
  /** A token closer than this to expiry is re-minted before use. */
  renewBeforeSeconds?: number;
  timeoutMs?: number;
  /** Bound on the body of any answer, in bytes (default 1 MiB; the GET event stream is exempt). */
  maxResponseBytes?: number;
}

/** The signed-in user on whose behalf a connection runs. */
export interface EmaUser {
  /** Stable key of the user (the IdP issuer and subject). */
  key: string;
  /** The subject token for the next exchange (ID token, or refresh token when the ID token is too old). */
  subjectToken: () => Promise<SubjectToken>;
}

/** Process-wide EMA client state: the access-token cache and the discovery results, per (user, server). */
export class EmaClient {
  readonly options: EmaClientOptions;
  readonly cache: AccessTokenCache;
  readonly #discoveries = new Map<string, AuthorizationDiscovery>();

  constructor(options: EmaClientOptions) {
    this.options = options;
    this.cache = new AccessTokenCache({
      ...(options.now ? { now: options.now } : {}),
      ...(options.renewBeforeSeconds !== undefined ? { renewBeforeSeconds: options.renewBeforeSeconds } : {}),
    });
  }

  /** Starts one action (connect, list, call) for a user at a server, recording into `recorder`. */
  authorization(user: EmaUser, serverUrl: string, recorder: FlowRecorder = new FlowRecorder()): ServerAuthorization {
    return new ServerAuthorization(this, user, serverUrl, recorder);
  }

  /** The discovery result remembered for (user, server). */
  discovery(userKey: string, serverUrl: string): AuthorizationDiscovery | undefined {
    return this.#discoveries.get(`${userKey}\n${serverUrl}`);
  }

  /** Remembers a discovery result for (user, server). */
  rememberDiscovery(userKey: string, serverUrl: string, discovery: AuthorizationDiscovery): void {
    this.#discoveries.set(`${userKey}\n${serverUrl}`, discovery);
  }

  /** Forgets tokens and discovery for (user, server), or for every server of the user. */
  forget(userKey: string, serverUrl?: string): void {
    this.cache.forget(userKey, serverUrl);
    for (const key of this.#discoveries.keys()) {
      if (serverUrl === undefined ? key.startsWith(`${userKey}\n`) : key === `${userKey}\n${serverUrl}`) {
        this.#discoveries.delete(key);
      }
    }
  }
}
