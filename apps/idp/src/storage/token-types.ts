/** An SSO session at the IdP (the browser's session cookie points at it). */
export interface Session {
  /** Public session id, the `sid` claim of ID tokens. */
  readonly id: string;
  readonly userId: string;
  /** When the user last authenticated (seconds), OIDC `auth_time`. */
  readonly authTime: number;
  readonly amr: string[];
  readonly expiresAt: number;
}

/**
 * A grant: what one sign-in authorized one client to receive. Every code, access token and refresh token issued
 * from one authorization code belongs to the same grant, so revoking the grant revokes the whole token family
 * (RFC 6749 §4.1.2 code reuse, RFC 9700 §4.14.2 refresh token reuse).
 */
export interface Grant {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly scope: string;
  readonly sessionId: string | null;
  readonly authTime: number;
  readonly amr: string[];
  readonly nonce: string | null;
  readonly revokedAt: number | null;
}

/** A pending authorization code, bound to client, redirect URI and PKCE challenge (RFC 7636). */
export interface AuthorizationCode {
  readonly grantId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
}

/** A refresh token record; the token itself is stored only as a hash. */
export interface RefreshToken {
  readonly id: string;
  readonly grantId: string;
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
  /** Set when the token was exchanged for a newer one; presenting it again is reuse. */
  readonly rotatedAt: number | null;
}

/** An access token of the IdP itself (audience: the userinfo endpoint); opaque, stored as a hash. */
export interface IdpAccessToken {
  readonly id: string;
  readonly grantId: string;
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
}

/**
 * The record of an issued ID token, kept until it expires so that revoking its grant (or disabling its user) also
 * stops it from being used as a token-exchange subject token.
 */
export interface IssuedIdToken {
  readonly jti: string;
  readonly grantId: string;
  readonly userId: string;
  readonly expiresAt: number;
  /** Set when the grant was revoked or the user disabled; `revokedReason` says which. */
  readonly revokedAt: number | null;
  readonly revokedReason: string | null;
}
