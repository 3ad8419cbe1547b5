import { decodeUnverified } from '@ema/jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { signInForCode, tokensFor } from '../support/browser.js';
import { idJagRequest, postToken, REDIRECT_URI, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const ADMIN = { authorization: 'Bearer test-admin-api-token-0123456789abcdef' };
const INVALID_SUBJECT = {
  error: 'invalid_grant',
  error_description: 'subject_token is invalid, expired, revoked or not issued to this client',
};

const exchangeIdToken = (idToken: string) => postToken(app, idJagRequest(idToken));

function jtiOf(idToken: string): string {
  const jti = decodeUnverified(idToken)?.claims.jti;
  if (typeof jti !== 'string') throw new Error('ID token without jti');
  return jti;
}

function lastExchangeDenial() {
  return app.idp.audit.query({ type: 'id_jag.exchange', outcome: 'deny', limit: 1 })[0];
}

describe('ID tokens revoked with their grant', () => {
  it('[IDP-OIDC-ID-TOKEN-JTI] every ID token carries a unique jti, recorded with its grant and expiry', async () => {
    const first = await tokensFor(app, 'alice');
    const second = await tokensFor(app, 'alice');
    const [a, b] = [jtiOf(first.id_token), jtiOf(second.id_token)];
    expect(a).toMatch(/^idt_/);
    expect(a).not.toBe(b);
    expect(app.idp.storage.findIdToken(a)).toMatchObject({ userId: 'usr_alice', revokedAt: null });
    const exp = decodeUnverified(first.id_token)?.claims.exp;
    expect(app.idp.storage.findIdToken(a)?.expiresAt).toBe(exp);
  });

  it('[IDP-RFC6749-4.1.2-CODE-REUSE-ID-TOKEN] a reused code revokes the ID token issued from it as a subject token', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    const redeem = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
    const first = (await postToken(app, redeem)).json();
    expect((await exchangeIdToken(first.id_token)).statusCode).toBe(200);
    expect((await postToken(app, redeem)).statusCode).toBe(400);
    const refused = await exchangeIdToken(first.id_token);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeDenial()).toMatchObject({
      reason: 'id_token_revoked',
      details: {
        error: 'invalid_grant',
        subjectTokenId: jtiOf(first.id_token),
        sub: 'usr_alice',
        revokedReason: 'authorization code reused',
      },
    });
  });

  it('[IDP-RFC9700-REFRESH-REUSE-ID-TOKEN] a reused refresh token revokes every ID token of the family', async () => {
    const first = await tokensFor(app, 'alice');
    const useFirst = { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) };
    const rotated = (await postToken(app, useFirst)).json();
    expect((await exchangeIdToken(rotated.id_token)).statusCode).toBe(200);
    expect((await postToken(app, useFirst)).statusCode).toBe(400);
    for (const idToken of [first.id_token, rotated.id_token]) {
      expect((await exchangeIdToken(idToken)).json()).toEqual(INVALID_SUBJECT);
      expect(lastExchangeDenial()).toMatchObject({
        reason: 'id_token_revoked',
        details: { revokedReason: 'refresh token reused' },
      });
    }
    // Another sign-in of the same user is another grant: untouched.
    expect((await exchangeIdToken((await tokensFor(app, 'alice')).id_token)).statusCode).toBe(200);
  });

  it('[IDP-ID-TOKEN-REVOKED-USER-DISABLED] disabling a user revokes their ID tokens; re-enabling does not revive them', async () => {
    const { id_token } = await tokensFor(app, 'alice');
    const patch = (disabled: boolean) =>
      app.inject({ method: 'PATCH', url: '/admin/api/users/usr_alice', headers: ADMIN, payload: { disabled } });
    expect((await patch(true)).statusCode).toBe(200);
    expect((await patch(false)).statusCode).toBe(200);
    expect((await exchangeIdToken(id_token)).json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeDenial()).toMatchObject({
      reason: 'id_token_revoked',
      details: { revokedReason: 'user disabled' },
    });
    expect((await exchangeIdToken((await tokensFor(app, 'alice')).id_token)).statusCode).toBe(200);
  });

  it('[IDP-ID-TOKEN-REVOKED-USER-DELETED] deleting a user deletes their ID token records; the tokens are refused', async () => {
    const { id_token } = await tokensFor(app, 'bob');
    const deleted = await app.inject({ method: 'DELETE', url: '/admin/api/users/usr_bob', headers: ADMIN });
    expect(deleted.statusCode).toBe(204);
    expect(app.idp.storage.findIdToken(jtiOf(id_token))).toBeUndefined();
    expect((await exchangeIdToken(id_token)).json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeDenial()).toMatchObject({ reason: 'id_token_unknown' });
  });

  it('[IDP-ID-TOKEN-RECORDS-PURGE] purges records of expired ID tokens, never one that may still verify', async () => {
    const early = (await tokensFor(app, 'alice')).id_token;
    // 620 s later: expired, but within the 30 s verification tolerance. Issuing triggers a purge that keeps it.
    clock.advance(620);
    await tokensFor(app, 'alice');
    expect(app.idp.storage.findIdToken(jtiOf(early))).toBeDefined();
    expect((await exchangeIdToken(early)).statusCode).toBe(200);
    // Long after its expiry the next issuance's purge deletes it; the fresh token's record stays and works.
    clock.advance(200);
    const fresh = (await tokensFor(app, 'alice')).id_token;
    expect(app.idp.storage.findIdToken(jtiOf(early))).toBeUndefined();
    expect(app.idp.storage.findIdToken(jtiOf(fresh))).toBeDefined();
    expect((await exchangeIdToken(fresh)).statusCode).toBe(200);
  });
});
