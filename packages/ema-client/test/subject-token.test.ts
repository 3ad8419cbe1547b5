import { TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { SubjectTokenUnavailableError } from '../src/errors.js';
import { chooseSubjectToken } from '../src/subject-token.js';

describe('subject token choice', () => {
  const now = Date.UTC(2030, 0, 1);
  it('[AGENT-EMA-REFRESH-SUBJECT] uses the ID token while fresh, then the refresh token', () => {
    const tokens = { idToken: 'id', idTokenExpiresAt: now + 60_000, refreshToken: 'rt' };
    expect(chooseSubjectToken(tokens, now)).toEqual({
      token: 'id',
      type: TOKEN_TYPE_ID_TOKEN,
      expiresAt: now + 60_000,
    });
    expect(chooseSubjectToken(tokens, now + 31_000)).toEqual({ token: 'rt', type: TOKEN_TYPE_REFRESH_TOKEN });
  });

  it('[AGENT-EMA-SESSION-EXPIRED] asks for a new sign-in when neither token is usable', () => {
    expect(() => chooseSubjectToken({ idToken: 'id', idTokenExpiresAt: now, refreshToken: undefined }, now)).toThrow(
      SubjectTokenUnavailableError,
    );
  });
});
