import { JwtValidationError, verifyIdToken } from '@ema/jwt';
import { InvalidGrantError } from '@ema/oauth-server';
import { DEFAULT_ALGORITHMS, parseScope, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import type { IdpContext } from '../idp-context.js';
import type { User } from '../storage/directory-types.js';
import { ExchangeRefusal } from './exchange-refusal.js';
import { checkRefreshToken } from './refresh-token.js';
import type { TokenExchangeParameters } from './token-exchange-parameters.js';

/** The user behind a verified subject token, with the authentication context of their sign-in. */
export interface ExchangeSubject {
  readonly user: User;
  readonly authTime: number;
  readonly amr: string[];
  /** The subject token's id (ID token `jti` or refresh token id), for the audit log. */
  readonly subjectTokenId: string | undefined;
}

const INVALID_SUBJECT = 'subject_token is invalid, expired, revoked or not issued to this client';

function refuse(reason: string, details: Record<string, unknown> = {}): ExchangeRefusal {
  return new ExchangeRefusal(new InvalidGrantError(INVALID_SUBJECT), reason, details);
}

/**
 * Step 3 of the profile's IdP checks (ID-JAG §4.3.3): the subject token is an ID token this IdP issued to the
 * authenticated client (signature with our own keys, `iss`, `exp`, `aud`/`azp`), or one of our refresh tokens of
 * that client, unexpired and unrevoked (the exchange does not rotate it). Every failure is `invalid_grant`.
 */
export async function resolveExchangeSubject(
  context: IdpContext,
  parameters: TokenExchangeParameters,
  clientId: string,
): Promise<ExchangeSubject> {
  if (parameters.subjectTokenType === TOKEN_TYPE_ID_TOKEN) {
    return resolveIdToken(context, parameters.subjectToken, clientId);
  }
  const checked = checkRefreshToken(context, parameters.subjectToken, clientId);
  if (typeof checked === 'string') throw refuse(`refresh_token_${checked}`);
  // OIDC Core §11: only an offline_access grant yields refresh tokens; check it anyway, the grant is the authority.
  if (!parseScope(checked.grant.scope).includes('offline_access')) throw refuse('refresh_token_not_offline');
  const user = activeUser(context, checked.grant.userId);
  return { user, authTime: checked.grant.authTime, amr: checked.grant.amr, subjectTokenId: checked.token.id };
}

async function resolveIdToken(context: IdpContext, token: string, clientId: string): Promise<ExchangeSubject> {
  try {
    const { claims } = await verifyIdToken(token, {
      algorithms: DEFAULT_ALGORITHMS,
      issuer: context.config.issuer,
      keys: context.keyStore.keys(),
      clientId,
      currentDate: new Date(context.now()),
    });
    checkIdTokenRecord(context, claims.jti);
    const user = activeUser(context, claims.sub);
    return { user, authTime: claims.auth_time ?? claims.iat, amr: claims.amr ?? [], subjectTokenId: claims.jti };
  } catch (error) {
    if (error instanceof JwtValidationError) {
      throw refuse(`id_token_invalid:${error.code}`, error.claim === undefined ? {} : { claim: error.claim });
    }
    throw error;
  }
}

/**
 * RFC 6749 §4.1.2 / RFC 9700 §4.14.2: an ID token of a revoked grant (reused code or refresh token) or of a user
 * an admin disabled is refused, like the rest of its family. One primary-key lookup. No record at all (issued
 * before records were kept, or its grant or user was deleted) is refused too: fail closed.
 */
function checkIdTokenRecord(context: IdpContext, jti: string | undefined): void {
  if (jti === undefined) throw refuse('id_token_without_jti');
  const record = context.storage.findIdToken(jti);
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

function activeUser(context: IdpContext, userId: string): User {
  const user = context.storage.findUserById(userId);
  if (user === undefined) throw refuse('subject_user_unknown', { sub: userId });
  if (user.disabled) throw refuse('subject_user_disabled', { sub: userId });
  return user;
}
