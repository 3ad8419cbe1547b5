/**
 * The host's OpenID Connect client of the IdP (OIDC Core, authorization code flow with PKCE S256, `state` and
 * `nonce`), on openid-client v6. Discovery is lazy and retried, since the IdP may start after the host.
 */

import { type FetchLike, UnreachableError } from '@ema/ema-client';
import * as oidc from 'openid-client';
import type { AgentHostConfig } from '../config.js';
import type { LoginAttempt } from '../storage/session-store.js';

/** What a completed sign-in yields. */
export interface SignInResult {
  subject: string;
  /** The authentication context class of the sign-in (OIDC Core §2 `acr`), when the IdP says. */
  acr: string | undefined;
  issuer: string;
  name: string | undefined;
  email: string | undefined;
  idToken: string;
  idTokenExpiresAt: number;
  refreshToken: string | undefined;
}

/** See the module comment. */
export class IdpClient {
  readonly #config: AgentHostConfig;
  readonly #fetch: FetchLike | undefined;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(config: AgentHostConfig, fetchFn?: FetchLike) {
    this.#config = config;
    this.#fetch = fetchFn;
  }

  get redirectUri(): string {
    return `${this.#config.baseUrl}/auth/callback`;
  }

  /** The openid-client configuration (discovered once; a failed discovery is retried next time). */
  configuration(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      const { idp, allowInsecureLoopback, httpTimeoutMs } = this.#config;
      const execute: Array<(configuration: oidc.Configuration) => void> = [oidc.enableNonRepudiationChecks];
      // The named development opt-out: openid-client refuses http unless told, by name (checked in config.ts).
      if (allowInsecureLoopback) execute.push(oidc.allowInsecureRequests);
      const fetchFn = this.#fetch;
      this.#configuration = oidc
        .discovery(new URL(idp.issuer), idp.clientId, undefined, oidc.ClientSecretBasic(idp.clientSecret), {
          execute,
          timeout: Math.ceil(httpTimeoutMs / 1000),
          ...(fetchFn
            ? { [oidc.customFetch]: (url: string, init: oidc.CustomFetchOptions) => fetchFn(url, init as RequestInit) }
            : {}),
        })
        .then((configuration) => {
          if (fetchFn) configuration[oidc.customFetch] = (url, init) => fetchFn(url, init as RequestInit);
          return configuration;
        })
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw new UnreachableError('idp', idp.issuer, error instanceof Error ? error.message : String(error));
        });
    }
    return this.#configuration;
  }

  /** The IdP token endpoint (for the token exchange). */
  async tokenEndpoint(): Promise<string> {
    const endpoint = (await this.configuration()).serverMetadata().token_endpoint;
    if (!endpoint) throw new UnreachableError('idp', this.#config.idp.issuer, 'no token_endpoint in its metadata');
    return endpoint;
  }

  /**
   * Starts a sign-in: fresh state, nonce and PKCE verifier, and the authorization URL to send the browser to. A
   * step-up passes what was asked for (RFC 9470 §3 hints) as OIDC Core §3.1.2.1 `acr_values` and `max_age`.
   */
  async startSignIn(
    options: { forceLogin?: boolean; acrValues?: string; maxAge?: number } = {},
  ): Promise<{ attempt: LoginAttempt; url: URL }> {
    const configuration = await this.configuration();
    const attempt: LoginAttempt = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri,
      scope: this.#config.idp.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
    };
    if (options.forceLogin) parameters.prompt = 'login';
    if (options.acrValues !== undefined) parameters.acr_values = options.acrValues;
    if (options.maxAge !== undefined) parameters.max_age = String(options.maxAge);
    return { attempt, url: oidc.buildAuthorizationUrl(configuration, parameters) };
  }

  /** Completes a sign-in at the callback: checks state, redeems the code with the verifier, checks the ID token. */
  async finishSignIn(callbackUrl: URL, attempt: LoginAttempt): Promise<SignInResult> {
    const configuration = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
      // OIDC Core §3.1.3.7: when max_age was asked for, auth_time must be present and recent enough.
      ...(attempt.stepUp?.maxAge === undefined ? {} : { maxAge: attempt.stepUp.maxAge }),
    });
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error('the IdP returned no ID token');
    return {
      subject: claims.sub,
      acr: typeof claims.acr === 'string' ? claims.acr : undefined,
      issuer: claims.iss,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      idToken: tokens.id_token,
      idTokenExpiresAt: claims.exp * 1000,
      refreshToken: tokens.refresh_token,
    };
  }

  /** The IdP's RP-initiated logout URL, when it has one and the host is configured to use it. */
  async endSessionUrl(idToken: string): Promise<URL | undefined> {
    if (!this.#config.idp.signOutAtIdp) return undefined;
    try {
      const configuration = await this.configuration();
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(configuration, {
        id_token_hint: idToken,
        post_logout_redirect_uri: `${this.#config.baseUrl}/`,
      });
    } catch {
      // The IdP is unreachable: the local sign-out still happened.
      return undefined;
    }
  }
}
