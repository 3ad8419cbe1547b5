/**
 * This server as an OpenID Connect relying party of the enterprise IdP (OIDC Core §3.1: authorization code flow,
 * PKCE S256, `state`, `nonce`), on openid-client v6, and as the IdP's client for identity chaining: the RFC 8693
 * token exchange that asks the IdP for an ID-JAG addressed to this server (ID-JAG §4.3), through the same exchange,
 * policy engine and audit log as every agent's. Discovery is lazy and retried: the IdP may start after this server.
 */
import { GRANT_TYPE_TOKEN_EXCHANGE, TOKEN_TYPE_ID_JAG } from '@ema/protocol';
import * as oidc from 'openid-client';
import type { SignInAttempt } from './storage/pending-authorizations.js';

/** What the relying party needs. */
export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the IdP sends the browser back: `<this server's issuer>/authorize/callback`. */
  redirectUri: string;
  allowInsecureLoopback: boolean;
  /** Replaces the network (tests). */
  fetch?: typeof fetch;
}

/** The IdP could not be reached, or answered something unusable. */
export class IdpUnavailableError extends Error {
  override name = 'IdpUnavailableError';
}

/** A completed sign-in: the ID token (the subject token of the exchange) and the IdP refresh token, if any. */
export interface SignedIn {
  idToken: string;
  refreshToken: string | undefined;
  /** The user's display name from the ID token (for the consent page). */
  userName: string;
}

/** RFC 9470 §3 hints of an `insufficient_user_authentication` answer: what a new sign-in must satisfy. */
export interface StepUpHints {
  maxAge?: number;
  acrValues?: string;
}

/** The IdP's answer to an ID-JAG request: the ID-JAG, or its OAuth error (a policy refusal, a step-up). */
export type IdJagAnswer =
  | { ok: true; idJag: string }
  | { ok: false; error: string; description: string | undefined; stepUp: StepUpHints };

/** Scopes of the sign-in: `offline_access` so this server can ask again, at each refresh, whether policy still allows. */
export const SIGN_IN_SCOPE = 'openid offline_access';

/** See the module comment. */
export class IdpRelyingParty {
  readonly #options: RelyingPartyOptions;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(options: RelyingPartyOptions) {
    this.#options = options;
  }

  /** The openid-client configuration (discovered once; a failed discovery is retried next time). */
  configuration(): Promise<oidc.Configuration> {
    if (this.#configuration === undefined) {
      const { issuer, clientId, clientSecret, allowInsecureLoopback } = this.#options;
      const execute: Array<(configuration: oidc.Configuration) => void> = [];
      // The named development opt-out: openid-client refuses http unless told, by name (checked in config.ts).
      if (allowInsecureLoopback) execute.push(oidc.allowInsecureRequests);
      const customFetch = this.#customFetch();
      this.#configuration = oidc
        .discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
          execute,
          timeout: 10,
          ...(customFetch === undefined ? {} : { [oidc.customFetch]: customFetch }),
        })
        .then((configuration) => {
          if (customFetch !== undefined) configuration[oidc.customFetch] = customFetch;
          return configuration;
        })
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw new IdpUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
        });
    }
    return this.#configuration;
  }

  /**
   * Starts a sign-in: fresh state, nonce and PKCE verifier, and the IdP authorization URL. With `stepUp`, the user
   * signs in again (`prompt=login`) within `max_age` and with the `acr_values` the IdP asked for (RFC 9470 §4).
   */
  async startSignIn(stepUp?: StepUpHints): Promise<{ attempt: SignInAttempt; url: URL }> {
    const configuration = await this.configuration();
    const attempt: SignInAttempt = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#options.redirectUri,
      scope: SIGN_IN_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
      ...(stepUp === undefined ? {} : { prompt: 'login' }),
      ...(stepUp?.maxAge === undefined ? {} : { max_age: String(stepUp.maxAge) }),
      ...(stepUp?.acrValues === undefined ? {} : { acr_values: stepUp.acrValues }),
    });
    return { attempt, url };
  }

  /**
   * Completes the sign-in at the callback: checks `state` and `iss` (RFC 9207), redeems the code with the verifier,
   * validates the ID token (signature, `iss`, `aud`, `nonce`). Throws what openid-client throws (an IdP error answer
   * is an `AuthorizationResponseError`).
   */
  async finishSignIn(callbackUrl: URL, attempt: SignInAttempt): Promise<SignedIn> {
    const configuration = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (claims === undefined || tokens.id_token === undefined) throw new Error('the IdP returned no ID token');
    const name = typeof claims.name === 'string' ? claims.name : undefined;
    const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
    return { idToken: tokens.id_token, refreshToken: tokens.refresh_token, userName: name ?? username ?? claims.sub };
  }

  /**
   * Identity chaining (ID-JAG §4.3, RFC 8693 §2.1): asks the IdP for an ID-JAG addressed to this server (`audience` =
   * this server's issuer) for `resource` and `scope`, presenting the user's ID token or the IdP refresh token.
   */
  async requestIdJag(input: {
    subjectToken: string;
    subjectTokenType: string;
    audience: string;
    resource: string;
    scope: string;
  }): Promise<IdJagAnswer> {
    const configuration = await this.configuration();
    try {
      const response = await oidc.genericGrantRequest(configuration, GRANT_TYPE_TOKEN_EXCHANGE, {
        requested_token_type: TOKEN_TYPE_ID_JAG,
        subject_token: input.subjectToken,
        subject_token_type: input.subjectTokenType,
        audience: input.audience,
        resource: input.resource,
        scope: input.scope,
      });
      // RFC 8693 §2.2.1: the ID-JAG travels in access_token, with its issued_token_type.
      if (response.issued_token_type !== TOKEN_TYPE_ID_JAG) throw new Error('the IdP answered another token type');
      return { ok: true, idJag: response.access_token };
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError) {
        const { max_age: maxAge, acr_values: acrValues } = error.cause;
        const stepUp: StepUpHints = {
          ...(typeof maxAge === 'number' ? { maxAge } : {}),
          ...(typeof acrValues === 'string' ? { acrValues } : {}),
        };
        return { ok: false, error: error.error, description: error.error_description, stepUp };
      }
      throw new IdpUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  #customFetch(): oidc.CustomFetch | undefined {
    const fetchFn = this.#options.fetch;
    if (fetchFn === undefined) return undefined;
    return (url, init) => fetchFn(url, init as RequestInit);
  }
}
