/**
 * Errors of the EMA client. Each has a stable `code` so callers can `switch (error.code)` and turn it into a human
 * message; none carries a token or a secret.
 */

/** The stable codes of {@link EmaClientError}. */
export type EmaErrorCode =
  | 'ERR_DISCOVERY_METADATA_UNAVAILABLE'
  | 'ERR_DISCOVERY_METADATA_INVALID'
  | 'ERR_DISCOVERY_RESOURCE_MISMATCH'
  | 'ERR_DISCOVERY_ISSUER_MISMATCH'
  | 'ERR_DISCOVERY_ID_JAG_UNSUPPORTED'
  | 'ERR_DISCOVERY_SDK_UNSUPPORTED'
  | 'ERR_INSECURE_URL'
  | 'ERR_UNKNOWN_AUTHORIZATION_SERVER'
  | 'ERR_POLICY_DENIED'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_INSUFFICIENT_USER_AUTHENTICATION'
  | 'ERR_SUBJECT_TOKEN_UNAVAILABLE'
  | 'ERR_ACCESS_REVOKED'
  | 'ERR_GRANT_REFUSED'
  | 'ERR_CLIENT_AUTHENTICATION_FAILED'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_ID_JAG_MISMATCH'
  | 'ERR_UNREACHABLE'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_INTERACTIVE_AUTHORIZATION_NOT_ALLOWED';

/** Which party of the flow an error comes from. */
export type FlowParty = 'idp' | 'ras' | 'mcp';

/** Base class of every error the EMA client core throws. */
export class EmaClientError extends Error {
  readonly code: EmaErrorCode;
  constructor(code: EmaErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The codes of {@link DiscoveryError}. */
export type DiscoveryErrorCode = Extract<EmaErrorCode, `ERR_DISCOVERY_${string}`>;

/** Discovery (RFC 9728 / RFC 8414) refused what the servers published. */
export class DiscoveryError extends EmaClientError {
  declare readonly code: DiscoveryErrorCode;
  constructor(code: DiscoveryErrorCode, message: string) {
    super(code, message);
  }
}

/** A URL is plain http and not an allowed loopback URL (RFC 9700 §2.6). */
export class InsecureUrlError extends EmaClientError {
  constructor(readonly url: string) {
    super('ERR_INSECURE_URL', `refusing non-https URL ${url}`);
  }
}

/** The MCP server named an authorization server this host holds no credentials for. */
export class UnknownAuthorizationServerError extends EmaClientError {
  constructor(readonly issuer: string) {
    super('ERR_UNKNOWN_AUTHORIZATION_SERVER', `this agent host is not registered at authorization server ${issuer}`);
  }
}

/**
 * The organization's policy refused the request (the IdP answered `invalid_target`, `access_denied` or
 * `invalid_scope`). EMA: the client shows this decision and never falls back to a per-user consent flow.
 */
export class PolicyDenialError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super('ERR_POLICY_DENIED', `${party} refused by policy: ${error}${description ? ` (${description})` : ''}`);
  }
}

/** The MCP server needs scopes the organization did not grant, even after one up-scope attempt. */
export class InsufficientScopeError extends EmaClientError {
  constructor(
    readonly requiredScopes: readonly string[],
    readonly grantedScopes: readonly string[],
  ) {
    super('ERR_INSUFFICIENT_SCOPE', `insufficient scope: needs ${requiredScopes.join(' ') || '(unspecified)'}`);
  }
}

/** The step-up a party asks for: the classes of sign-in that would do and the maximum age (RFC 9470 §3). */
export interface StepUpRequest {
  /** `acr_values`: acceptable authentication context classes, space-separated. */
  readonly acrValues?: string;
  /** `max_age`: the sign-in may be at most this old, in seconds. */
  readonly maxAge?: number;
}

/**
 * The user's sign-in is too weak or too old for the request (RFC 9470 `insufficient_user_authentication`): said by
 * the IdP at the token exchange (ID-JAG §4.3.3) or by the MCP server for a tool. The host sends the user to the IdP
 * with `acr_values` / `max_age` (OIDC Core §3.1.2.1), then tries the action again, once. A new token alone cannot
 * help: it would carry the same sign-in.
 */
export class InsufficientUserAuthenticationError extends EmaClientError {
  readonly maxAge: number | undefined;
  readonly acrValues: string | undefined;
  constructor(
    readonly party: FlowParty,
    readonly description: string | undefined,
    stepUp: StepUpRequest = {},
  ) {
    super(
      'ERR_INSUFFICIENT_USER_AUTHENTICATION',
      `${party === 'mcp' ? 'the MCP server' : 'the identity provider'} requires a stronger or more recent sign-in`,
    );
    this.maxAge = stepUp.maxAge;
    this.acrValues = stepUp.acrValues;
  }

  /** The step-up asked for, as `acr_values` / `max_age` for the authorization request. */
  stepUp(): StepUpRequest {
    return {
      ...(this.acrValues === undefined ? {} : { acrValues: this.acrValues }),
      ...(this.maxAge === undefined ? {} : { maxAge: this.maxAge }),
    };
  }
}

/** No usable subject token: the ID token is too old and no refresh token works, or the IdP rejected it. */
export class SubjectTokenUnavailableError extends EmaClientError {
  constructor(reason: string) {
    super('ERR_SUBJECT_TOKEN_UNAVAILABLE', reason);
  }
}

/**
 * The organization cut this access: the MCP server refused the token as revoked (its authorization server was told
 * by the IdP: a user disabled, a session ended, a grant lost), or the IdP refused a sign-in that has not expired
 * (`invalid_grant` for an ID token still within its `exp`), and the one new attempt could not get access back. Not
 * an expiry: the client shows it and does not retry.
 */
export class AccessRevokedError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    readonly detail: string,
  ) {
    super('ERR_ACCESS_REVOKED', `access revoked (${party}): ${detail}`);
  }
}

/** The RAS refused the ID-JAG (`invalid_grant` and friends). */
export class GrantRefusedError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super('ERR_GRANT_REFUSED', `${party} refused the grant: ${error}`);
  }
}

/** A token endpoint rejected this host's client credentials (`invalid_client`): a configuration problem. */
export class ClientAuthenticationError extends EmaClientError {
  constructor(readonly party: FlowParty) {
    super('ERR_CLIENT_AUTHENTICATION_FAILED', `${party} rejected the agent host's client credentials`);
  }
}

/** A token endpoint answered something this profile does not allow. */
export class TokenResponseError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    detail: string,
  ) {
    super('ERR_TOKEN_RESPONSE_INVALID', `${party} token response invalid: ${detail}`);
  }
}

/** What the agent checks on an ID-JAG before forwarding it; `format`: not a decodable JWT. */
export type IdJagCheckedClaim = 'format' | 'typ' | 'aud' | 'resource' | 'client_id';

/**
 * The IdP issued an ID-JAG that is not what the host asked for (another RAS, resource or client, or not an ID-JAG);
 * it was not sent to the RAS. `claim` names the first check that failed.
 */
export class IdJagMismatchError extends EmaClientError {
  constructor(readonly claim: IdJagCheckedClaim) {
    super('ERR_ID_JAG_MISMATCH', `the identity provider issued an ID-JAG whose ${claim} is not the one asked for`);
  }
}

/** A party could not be reached (network error, time-out, or a 5xx answer). */
export class UnreachableError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    readonly url: string,
    detail: string,
  ) {
    super('ERR_UNREACHABLE', `${party} unreachable at ${url}: ${detail}`);
  }
}

/** A party answered with a body larger than the configured bound (a broken or hostile server). */
export class ResponseTooLargeError extends EmaClientError {
  constructor(
    readonly party: FlowParty,
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super('ERR_RESPONSE_TOO_LARGE', `${party} at ${url} answered with more than ${maxBytes} bytes`);
  }
}

/**
 * Something asked the EMA client for an interactive authorization (a redirect of the user to the authorization
 * endpoint, a PKCE verifier): EMA never falls back to a per-user consent flow (`step` names what was asked).
 */
export class InteractiveAuthorizationNotAllowedError extends EmaClientError {
  constructor(readonly step: string) {
    super(
      'ERR_INTERACTIVE_AUTHORIZATION_NOT_ALLOWED',
      `Enterprise-Managed Authorization never falls back to an interactive authorization (asked: ${step})`,
    );
  }
}
