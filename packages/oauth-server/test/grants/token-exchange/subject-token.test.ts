import { TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  agent,
  alice,
  exchange,
  exchangeParams,
  exchangeSetup,
  forgedSigner,
  idToken,
  NOW,
  refusal,
} from './exchange-fixture.js';

const INVALID_SUBJECT = {
  error: 'invalid_grant',
  error_description: 'subject_token is invalid, expired, revoked or not issued to this client',
};

async function refusedIdToken(claims: Record<string, unknown>, setup = exchangeSetup()) {
  return refusal(setup, await exchangeParams({ subject_token: await idToken(claims) }));
}

function refreshParams(token: string) {
  return exchangeParams({ subject_token: token, subject_token_type: TOKEN_TYPE_REFRESH_TOKEN });
}

describe('token exchange step 3: the subject token', () => {
  it('[IDP-IDJAG-4.3.3-SUBJECT-AUD] refuses an ID token issued to another client (aud, or azp)', async () => {
    expect(await refusedIdToken({ aud: 'other', azp: 'other' })).toMatchObject({
      status: 400,
      body: INVALID_SUBJECT,
      reason: 'id_token_invalid:ERR_JWT_AUD_MISMATCH',
      details: { error: 'invalid_grant', claim: 'aud' },
    });
    expect((await refusedIdToken({ aud: [agent.clientId, 'other'], azp: 'other' })).body).toEqual(INVALID_SUBJECT);
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-EXP] refuses an expired ID token, and one of another issuer', async () => {
    expect((await refusedIdToken({ iat: NOW - 900, exp: NOW - 31 })).reason).toBe('id_token_invalid:ERR_JWT_EXPIRED');
    expect((await refusedIdToken({ iss: 'https://evil.example.com' })).body).toEqual(INVALID_SUBJECT);
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-SIGNATURE] refuses an ID token signed by another key, even under our kid', async () => {
    const forged = await idToken({}, forgedSigner);
    const refused = await refusal(exchangeSetup(), await exchangeParams({ subject_token: forged }));
    expect(refused).toMatchObject({ body: INVALID_SUBJECT, reason: 'id_token_invalid:ERR_JWT_SIGNATURE_INVALID' });
    // A failure that concerns no one claim names none in the audit record.
    expect(refused.details).not.toHaveProperty('claim');
  });

  it('[IDP-RFC6749-4.1.2-CODE-REUSE-ID-TOKEN] refuses an ID token whose record is revoked, unknown or missing (fail closed)', async () => {
    const setup = exchangeSetup();
    setup.idTokens.set('idt_1', {
      userId: alice.id,
      grantId: 'grt_1',
      revokedAt: NOW - 5,
      revokedReason: 'code reused',
    });
    expect(await refusedIdToken({}, setup)).toMatchObject({
      body: INVALID_SUBJECT,
      reason: 'id_token_revoked',
      details: {
        error: 'invalid_grant',
        subjectTokenId: 'idt_1',
        sub: alice.id,
        grantId: 'grt_1',
        revokedReason: 'code reused',
      },
    });
    expect(await refusedIdToken({ jti: 'idt_unknown' })).toMatchObject({
      reason: 'id_token_unknown',
      details: { error: 'invalid_grant', subjectTokenId: 'idt_unknown' },
    });
    expect((await refusedIdToken({ jti: undefined })).reason).toBe('id_token_without_jti');
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-USER-DISABLED] refuses the subject token of a disabled or unknown user', async () => {
    const setup = exchangeSetup();
    setup.users.set(alice.id, { ...alice, disabled: true });
    expect(await refusedIdToken({}, setup)).toMatchObject({
      body: INVALID_SUBJECT,
      reason: 'subject_user_disabled',
      details: { error: 'invalid_grant', sub: alice.id },
    });
    const refresh = await refusal(setup, await refreshParams('rt-live'));
    expect(refresh.reason).toBe('subject_user_disabled');
    // The subject is named once resolved; a refused one is only in the details.
    expect(refresh.record).not.toHaveProperty('subject');
    setup.users.clear();
    expect(await refusedIdToken({}, setup)).toMatchObject({
      reason: 'subject_user_unknown',
      details: { error: 'invalid_grant', sub: alice.id },
    });
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-REFRESH] accepts a live offline refresh token of the client, with its sign-in context', async () => {
    const setup = exchangeSetup();
    const answer = await exchange(setup, await refreshParams('rt-live'));
    expect(answer).toMatchObject({ token_type: 'N_A' });
    expect(setup.audited[0]).toMatchObject({ subject: alice.id, details: { subjectTokenId: 'rt_1' } });
    // The grant's sign-in context (here a second factor) travels into the ID-JAG, as an ID token's would.
    const claims = 'access_token' in answer ? decodeJwt(answer.access_token) : {};
    expect(claims).toMatchObject({
      auth_time: NOW - 3600,
      amr: ['pwd', 'hwk', 'user', 'mfa'],
      acr: 'urn:example:acr:mfa',
    });
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-REFRESH] refuses a refresh token the IdP finds unusable, or not of an offline grant', async () => {
    const setup = exchangeSetup();
    for (const problem of ['other_client', 'reused', 'expired', 'revoked'] as const) {
      setup.refreshTokens.set(`rt-${problem}`, problem);
      const refused = await refusal(setup, await refreshParams(`rt-${problem}`));
      expect(refused).toMatchObject({ body: INVALID_SUBJECT, reason: `refresh_token_${problem}` });
    }
    expect((await refusal(setup, await refreshParams('rt-nobody-issued'))).reason).toBe('refresh_token_unknown');
    // OIDC Core §11: refresh tokens come with offline_access only; the grant is checked all the same.
    expect((await refusal(setup, await refreshParams('rt-online'))).reason).toBe('refresh_token_not_offline');
  });

  it('[IDP-STEP-UP-CONTEXT-CARRIED] carries no amr value when the ID token names no authentication method', async () => {
    const answer = await exchange(
      exchangeSetup(),
      await exchangeParams({ subject_token: await idToken({ amr: undefined }) }),
    );
    const claims = 'access_token' in answer ? decodeJwt(answer.access_token) : {};
    expect(claims.amr ?? []).toEqual([]);
  });
});
