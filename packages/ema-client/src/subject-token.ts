/**
 * Which token the client presents at the token exchange.
 *
 * Decision: while the ID token has at least `minRemainingSeconds` left, present it
 * (`subject_token_type` id_token, which every ID-JAG IdP must accept). Once it is too old, present the IdP refresh
 * token obtained with `offline_access` (`subject_token_type` refresh_token, which this project's IdP accepts, EMA
 * profile step 3). This saves a round trip compared with refreshing the ID token first, and leaves refresh-token
 * rotation out of the picture since a token exchange does not rotate it. Without either, the user must sign in again.
 */
import { TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { SubjectTokenUnavailableError } from './errors.js';
import type { SubjectToken } from './grants/token-exchange.js';

/** What the sign-in left the client with. */
export interface SignInTokens {
  idToken: string;
  /** Epoch milliseconds, from the ID token's `exp`. */
  idTokenExpiresAt: number;
  refreshToken: string | undefined;
}

/** Picks the subject token for the next exchange (see the module comment for the rule). */
export function chooseSubjectToken(tokens: SignInTokens, now: number, minRemainingSeconds = 30): SubjectToken {
  if (tokens.idTokenExpiresAt - minRemainingSeconds * 1000 > now) {
    return { token: tokens.idToken, type: TOKEN_TYPE_ID_TOKEN, expiresAt: tokens.idTokenExpiresAt };
  }
  if (tokens.refreshToken) return { token: tokens.refreshToken, type: TOKEN_TYPE_REFRESH_TOKEN };
  throw new SubjectTokenUnavailableError('the sign-in has expired and there is no refresh token');
}
