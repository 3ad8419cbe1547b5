import { JwtValidationError, type KeyResolver, verifyIdToken } from '@ema/jwt';
import { parseScope, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { InvalidGrantError } from '../../errors/token-errors.js';
import { ExchangeRefusal } from './exchange-refusal.js';
import type { TokenExchangeParameters } from './token-exchange-parameters.js';

/** The user as the exchange sees them: `id` is the stable `sub`, `email` goes into the ID-JAG. */
export interface ExchangeUser {
  readonly id: string;
  readonly email?: string | undefined;
  /** A disabled user's subject tokens are refused. */
  readonly disabled: boolean;
}

/** The IdP's record of an ID token it issued. */
export interface IdTokenRecord {
  readonly userId: string;
  /** The grant (sign-in) the token was issued from, for the audit log. */
  readonly grantId: string;
  /** Set when the token's grant was revoked or its user disabled. */
  readonly revokedAt: number | null;
  readonly revokedReason: string | null;
}

/** A usable refresh token presented as subject token: its id and what its grant holds. */
export interface RefreshTokenSubject {
  readonly tokenId: string;
  readonly userId: string;
  /** The grant's scope (space-separated). */
  readonly scope: string;
  readonly authTime: number;
  readonly amr: readonly string[];
  /** The IdP session the grant came from (the ID-JAG's `sid`), when it has one. */
  readonly sessionId?: string | undefined;
  /** The authentication context class of the grant's sign-in (OIDC Core §2 `acr`), when the IdP names one. */
  readonly acr?: string | undefined;
}

/** Why a presented refresh token is not usable (audited as `refresh_token_<problem>`). */
export type RefreshTokenProblem = 'unknown' | 'other_client' | 'reused' | 'expired' | 'revoked';

/** The user behind a verified subject token, with the authentication context of their sign-in. */
export interface ExchangeSubject<U extends ExchangeUser> {
  readonly user: U;
  readonly authTime: number;
  readonly amr: readonly string[];
  /** The sign-in's authentication context class (`acr`), when known: it passes into the ID-JAG. */
  readonly acr: string | undefined;
  /** The subject token's id (ID token `jti` or refresh token id), for the audit log. */
  readonly subjectTokenId: string | undefined;
  /**
   * The IdP session behind the subject token (the ID token's `sid`, or the refresh token's grant's session), put in
   * the ID-JAG as `sid` so that ending the session can revoke what descends from it down the chain.
   */
  readonly sessionId?: string | undefined;
}

/** What step 3 needs: the IdP's issuer and keys, and its records (see `TokenExchangeGrantOptions`). */
export interface SubjectTokenLookups<U extends ExchangeUser> {
  readonly issuer: string;
  readonly idTokenKeys: KeyResolver;
  readonly idTokenAlgorithms: readonly string[];
  readonly findIdTokenRecord: (jti: string) => IdTokenRecord | undefined;
  readonly checkRefreshToken: (token: string, clientId: string) => RefreshTokenSubject | RefreshTokenProblem;
  readonly findUser: (userId: string) => U | undefined;
}

const INVALID_SUBJECT = 'subject_token is invalid, expired, revoked or not issued to this client';

function refuse(reason: string, details: Record<string, unknown> = {}): ExchangeRefusal {
  return new ExchangeRefusal(new InvalidGrantError(INVALID_SUBJECT), reason, details);
}

/**
 * Step 3 of the profile's IdP checks (ID-JAG §4.3.3): the subject token is an ID token this IdP issued to the
 * authenticated client (signature with its own keys, `iss`, `exp`, `aud`/`azp`), or one of its refresh tokens of
 * that client, unexpired and unrevoked (the exchange does not rotate it). Every failure is `invalid_grant`.
 */
export async function resolveExchangeSubject<U extends ExchangeUser>(
  lookups: SubjectTokenLookups<U>,
  parameters: TokenExchangeParameters,
  clientId: string,
  nowMs: number,
): Promise<ExchangeSubject<U>> {
  if (parameters.subjectTokenType === TOKEN_TYPE_ID_TOKEN) {
    return resolveIdToken(lookups, parameters.subjectToken, clientId, nowMs);
  }
  const checked = lookups.checkRefreshToken(parameters.subjectToken, clientId);
  if (typeof checked === 'string') throw refuse(`refresh_token_${checked}`);
  // OIDC Core §11: only an offline_access grant yields refresh tokens; check it anyway, the grant is the authority.
  if (!parseScope(checked.scope).includes('offline_access')) throw refuse('refresh_token_not_offline');
  const user = activeUser(lookups, checked.userId);
  return {
    user,
    authTime: checked.authTime,
    amr: checked.amr,
    acr: checked.acr,
    subjectTokenId: checked.tokenId,
    sessionId: checked.sessionId,
  };
}

async function resolveIdToken<U extends ExchangeUser>(
  lookups: SubjectTokenLookups<U>,
  token: string,
  clientId: string,
  nowMs: number,
): Promise<ExchangeSubject<U>> {
  try {
    const { claims } = await verifyIdToken(token, {
      algorithms: lookups.idTokenAlgorithms,
      issuer: lookups.issuer,
      keys: lookups.idTokenKeys,
      clientId,
      currentDate: new Date(nowMs),
    });
    checkIdTokenRecord(lookups, claims.jti);
    const user = activeUser(lookups, claims.sub);
    return {
      user,
      authTime: claims.auth_time ?? claims.iat,
      amr: claims.amr ?? [],
      acr: claims.acr,
      subjectTokenId: claims.jti,
      sessionId: claims.sid,
    };
  } catch (error) {
    if (error instanceof JwtValidationError) {
      throw refuse(`id_token_invalid:${error.code}`, error.claim === undefined ? {} : { claim: error.claim });
    }
    throw error;
  }
}

/**
 * RFC 6749 §4.1.2 / RFC 9700 §4.14.2: an ID token of a revoked grant (reused code or refresh token) or of a user
 * an admin disabled is refused, like the rest of its family. No record at all (issued before records were kept,
 * or its grant or user was deleted) is refused too: fail closed.
 */
function checkIdTokenRecord<U extends ExchangeUser>(lookups: SubjectTokenLookups<U>, jti: string | undefined): void {
  if (jti === undefined) throw refuse('id_token_without_jti');
  const record = lookups.findIdTokenRecord(jti);
  if (record === undefined) throw refuse('id_token_unknown', { subjectTokenId: jti });
  if (record.revokedAt !== null) {
    throw refuse('id_token_revoked', {
      subjectTokenId: jti,
      sub: record.userId,
      grantId: record.grantId,
      revokedReason: record.revokedReason,
    });
  }
}

function activeUser<U extends ExchangeUser>(lookups: SubjectTokenLookups<U>, userId: string): U {
  const user = lookups.findUser(userId);
  if (user === undefined) throw refuse('subject_user_unknown', { sub: userId });
  if (user.disabled) throw refuse('subject_user_disabled', { sub: userId });
  return user;
}
