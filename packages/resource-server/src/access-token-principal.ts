import type { AccessTokenClaims, AuthorizationDetail } from '@ema/protocol';
import { parseScope } from '@ema/protocol';

/** Who a session belongs to (MCP-AUTH: a session is bound to the user and client that opened it). */
export interface SessionOwner {
  issuer: string;
  subject: string;
  clientId: string;
}

/**
 * The auth info of a verified request, in the shape of the MCP SDK's `AuthInfo` (structurally: this package does
 * not import the SDK), which its transports read from `req.auth` and hand to tool handlers as `extra.authInfo`.
 */
export interface AccessTokenAuthInfo {
  /** Always empty: see {@link AccessTokenPrincipal}. */
  token: string;
  clientId: string;
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
  /** RFC 8707: the resource the token was issued for (its verified `aud`). */
  resource: URL;
  extra: { accessToken: AccessTokenPrincipal };
}

/**
 * An access token that passed validation (RFC 9068): the identity and grants the server acts on. The token value
 * itself is deliberately not kept: tools see who is calling, never the credential (the profile: "never pass the
 * token through to anything upstream"), and logs identify the token by its `jti`.
 */
export class AccessTokenPrincipal {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  readonly jti: string;
  readonly scopes: readonly string[];
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  readonly email: string | undefined;
  readonly name: string | undefined;
  /** The ID-JAG this token was issued for, so a tool call traces back to the IdP's policy decision. */
  readonly idJagJti: string | undefined;
  readonly idJagIss: string | undefined;
  /** The IdP session the token descends from (`sid`), when it names one. */
  readonly sessionId: string | undefined;
  /** The authentication context of the user's sign-in (RFC 9470 §4, OIDC Core §2): its class, methods and time. */
  readonly acr: string | undefined;
  readonly amr: readonly string[];
  /** Seconds since the epoch. */
  readonly authTime: number | undefined;
  /** The verified `aud`, as a list (RFC 8707: this resource). */
  readonly audience: readonly string[];
  /**
   * RFC 9396 §9.1: the authorization details the token is limited to, or `undefined` when it carries none (then
   * its scopes alone govern); see `authorizationDetailsPermit`.
   */
  readonly authorizationDetails: readonly AuthorizationDetail[] | undefined;
  /** RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to (`cnf.jkt`), when it is. */
  readonly jkt: string | undefined;

  /** Wraps claims that have already been verified. */
  constructor(claims: AccessTokenClaims) {
    this.issuer = claims.iss;
    this.subject = claims.sub;
    this.clientId = claims.client_id;
    this.jti = claims.jti;
    this.scopes = parseScope(claims.scope);
    this.expiresAt = claims.exp;
    this.email = claims.email;
    this.name = claims.name;
    this.idJagJti = claims.id_jag_jti;
    this.idJagIss = claims.id_jag_iss;
    this.sessionId = claims.sid;
    this.acr = claims.acr;
    this.amr = claims.amr ?? [];
    this.authTime = claims.auth_time;
    this.audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    this.authorizationDetails = claims.authorization_details;
    this.jkt = claims.cnf?.jkt;
  }

  /** The scopes of `needed` this token was not granted, in the order given. */
  missingScopes(needed: readonly string[]): string[] {
    return needed.filter((scope) => !this.scopes.includes(scope));
  }

  /** The (iss, sub, client_id) triple a session opened with this token is bound to. */
  owner(): SessionOwner {
    return { issuer: this.issuer, subject: this.subject, clientId: this.clientId };
  }

  /** Whether this token belongs to the same user and client as `owner`. */
  isOwnedBy(owner: SessionOwner): boolean {
    return owner.issuer === this.issuer && owner.subject === this.subject && owner.clientId === this.clientId;
  }

  /**
   * The auth info handed to tool handlers (MCP SDK: `req.auth`, then `extra.authInfo`). `token` is left empty on
   * purpose (see the class comment); the verified identity travels in `extra.accessToken`.
   */
  toAuthInfo(resource: string): AccessTokenAuthInfo {
    return {
      token: '',
      clientId: this.clientId,
      scopes: [...this.scopes],
      expiresAt: this.expiresAt,
      resource: new URL(resource),
      extra: { accessToken: this },
    };
  }

  /** The verified token a tool handler was called with, if the request was authenticated. */
  static fromAuthInfo(authInfo: { extra?: Record<string, unknown> } | undefined): AccessTokenPrincipal | undefined {
    const value = authInfo?.extra?.accessToken;
    return value instanceof AccessTokenPrincipal ? value : undefined;
  }
}
