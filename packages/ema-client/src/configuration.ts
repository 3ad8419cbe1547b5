/**
 * The client's configuration: what the host passes once ({@link EmaClientOptions}), and the resolved value with
 * every default applied ({@link EmaClientSettings}) that each action reads.
 */
import type { ClientAuthentication } from './client-authentication.js';
import type { DpopKeys } from './dpop/dpop-keys.js';
import type { SubjectToken } from './grants/token-exchange.js';
import { type HttpSettings, httpSettings } from './http/observed-fetch.js';
import type { FetchLike } from './http/observer.js';
import type { TransportSecurityOptions } from './http/transport-security.js';

/** The IdP side of the configuration. */
export interface IdpClientSettings {
  /** The IdP token endpoint (resolved lazily: the IdP may start after the host). */
  tokenEndpoint: () => Promise<string>;
  /** The host's client authentication at the IdP. */
  clientAuthentication: ClientAuthentication;
}

/** Options of {@link EmaClient}. */
export interface EmaClientOptions {
  idp: IdpClientSettings;
  /**
   * The host's client authentication at each RAS, by exact issuer identifier (the host has a different registration
   * at each), or undefined where it is not registered: nothing is ever sent to such a RAS.
   */
  rasClientAuthentication: (issuer: string) => ClientAuthentication | undefined;
  /** The named development opt-out: plain http allowed for loopback hosts only. */
  allowInsecureLoopback: boolean;
  /** See {@link AuthorizationServerDiscoveryOptions.acceptUnadvertisedIdJagProfile}. Off by default. */
  acceptUnadvertisedIdJagProfile?: boolean;
  /** The underlying fetch (default: the global one). */
  fetch?: FetchLike;
  /** Clock for token lifetimes, epoch milliseconds (tests freeze it). */
  now?: () => number;
  /** A token closer than this to expiry is re-minted before use (default 60). */
  renewBeforeSeconds?: number;
  /** Time-out of each outbound request (default 10 000 ms). */
  timeoutMs?: number;
  /** Bound on the body of any answer, in bytes (default 1 MiB; the GET event stream is exempt). */
  maxResponseBytes?: number;
  /**
   * RFC 9449: sender-constrained tokens. With keys, every token request and MCP request of a connection carries a
   * DPoP proof by that connection's key, so the ID-JAG and the access token are bound to it. Without: bearer tokens.
   */
  dpopKeys?: DpopKeys;
}

/** The options with their defaults applied. */
export interface EmaClientSettings extends TransportSecurityOptions {
  readonly idp: IdpClientSettings;
  readonly rasClientAuthentication: (issuer: string) => ClientAuthentication | undefined;
  readonly acceptUnadvertisedIdJagProfile: boolean;
  readonly http: HttpSettings;
  readonly now: () => number;
  readonly dpopKeys: DpopKeys | undefined;
}

/** Applies the defaults. */
export function resolveSettings(options: EmaClientOptions): EmaClientSettings {
  return Object.freeze({
    idp: options.idp,
    rasClientAuthentication: options.rasClientAuthentication,
    allowInsecureLoopback: options.allowInsecureLoopback,
    acceptUnadvertisedIdJagProfile: options.acceptUnadvertisedIdJagProfile === true,
    http: httpSettings({
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
    }),
    now: options.now ?? Date.now,
    dpopKeys: options.dpopKeys,
  });
}

/** The signed-in user on whose behalf an action runs. */
export interface EmaUser {
  /** Stable key of the user (for example the IdP issuer and subject). */
  key: string;
  /** The subject token for the next exchange (see `chooseSubjectToken`). */
  subjectToken: () => Promise<SubjectToken>;
}
