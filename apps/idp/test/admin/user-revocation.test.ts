import { TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { authorizationParams, authorize, signInForCode, tokensFor } from '../support/browser.js';
import { idJagRequest, postToken, REDIRECT_URI, startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeEach(async () => {
  ({ app } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const ADMIN = { authorization: 'Bearer test-admin-api-token-0123456789abcdef' };
const exchange = (subjectToken: string, subjectTokenType: string) =>
  postToken(app, idJagRequest(subjectToken, { subject_token_type: subjectTokenType }));

function userinfo(accessToken: string) {
  return app.inject({ method: 'GET', url: '/userinfo', headers: { authorization: `Bearer ${accessToken}` } });
}

function setDisabled(userId: string, disabled: boolean) {
  return app.inject({ method: 'PATCH', url: `/admin/api/users/${userId}`, headers: ADMIN, payload: { disabled } });
}

function lastAudit(type: string) {
  return app.idp.audit.query({ type, limit: 1 })[0];
}

describe('disabling or deleting a user revokes what they hold', () => {
  it('[IDP-ADMIN-USER-DISABLE-REVOKES-GRANTS] re-enabling a disabled user does not revive their refresh tokens, access tokens, ID tokens or pending codes', async () => {
    const tokens = await tokensFor(app, 'alice');
    const refreshToken = String(tokens.refresh_token);
    const pending = await signInForCode(app, 'alice');
    // Bob's grants are not Alice's: untouched.
    const bob = await tokensFor(app, 'bob');

    expect((await setDisabled('usr_alice', true)).statusCode).toBe(200);
    expect((await setDisabled('usr_alice', false)).statusCode).toBe(200);

    const refreshed = await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.statusCode).toBe(400);
    expect(refreshed.json().error).toBe('invalid_grant');
    expect(lastAudit('token.refresh')).toMatchObject({ outcome: 'failure', reason: 'refresh_token_revoked' });

    expect((await userinfo(tokens.access_token)).statusCode).toBe(401);

    const byIdToken = await exchange(tokens.id_token, TOKEN_TYPE_ID_TOKEN);
    expect(byIdToken.json().error).toBe('invalid_grant');
    expect(lastAudit('id_jag.exchange')).toMatchObject({
      outcome: 'deny',
      reason: 'id_token_revoked',
      details: { revokedReason: 'user disabled' },
    });
    const byRefreshToken = await exchange(refreshToken, TOKEN_TYPE_REFRESH_TOKEN);
    expect(byRefreshToken.json().error).toBe('invalid_grant');
    expect(lastAudit('id_jag.exchange')).toMatchObject({ outcome: 'deny', reason: 'refresh_token_revoked' });

    const redeemed = await postToken(app, {
      grant_type: 'authorization_code',
      code: pending.code,
      code_verifier: pending.verifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(redeemed.statusCode).toBe(400);
    expect(redeemed.json().error).toBe('invalid_grant');

    expect((await userinfo(bob.access_token)).statusCode).toBe(200);
    expect(
      (await postToken(app, { grant_type: 'refresh_token', refresh_token: String(bob.refresh_token) })).statusCode,
    ).toBe(200);
    // A fresh sign-in after re-enabling works.
    const fresh = await tokensFor(app, 'alice');
    expect((await userinfo(fresh.access_token)).statusCode).toBe(200);
    expect((await exchange(fresh.id_token, TOKEN_TYPE_ID_TOKEN)).statusCode).toBe(200);
  });

  it('[IDP-ADMIN-USER-DISABLE-ENDS-SESSIONS] disabling a user ends their SSO sessions: re-enabled, they must sign in again', async () => {
    const { jar } = await tokensFor(app, 'alice');
    const silent = () => authorize(app, jar, { ...authorizationParams().params, prompt: 'none' });
    const before = await silent();
    expect(before.statusCode).toBe(302);
    expect(new URL(String(before.headers.location)).searchParams.get('code')).toBeTruthy();

    await setDisabled('usr_alice', true);
    await setDisabled('usr_alice', false);

    const after = await silent();
    expect(after.statusCode).toBe(302);
    expect(new URL(String(after.headers.location)).searchParams.get('error')).toBe('login_required');
    const interactive = await authorize(app, jar, authorizationParams().params);
    expect(interactive.statusCode).toBe(200);
    expect(interactive.body).toContain('Sign in');
  });

  it('[IDP-ADMIN-USER-REVOCATION-AUDIT] one admin-change record names how many grants, ID tokens and sessions were revoked', async () => {
    await tokensFor(app, 'alice');
    await tokensFor(app, 'alice');
    await setDisabled('usr_alice', true);
    const disabled = app.idp.audit.query({ type: 'admin.user.update' });
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({
      outcome: 'success',
      actor: 'api-token',
      details: { userId: 'usr_alice', disabled: true, grantsRevoked: 2, idTokensRevoked: 2, sessionsEnded: 2 },
    });
    // Saving again as disabled revokes nothing more; enabling revokes nothing and says nothing about it.
    await setDisabled('usr_alice', true);
    expect(lastAudit('admin.user.update')?.details).toMatchObject({
      grantsRevoked: 0,
      idTokensRevoked: 0,
      sessionsEnded: 0,
    });
    await setDisabled('usr_alice', false);
    expect(lastAudit('admin.user.update')?.details).not.toHaveProperty('grantsRevoked');

    await tokensFor(app, 'bob');
    const deleted = await app.inject({ method: 'DELETE', url: '/admin/api/users/usr_bob', headers: ADMIN });
    expect(deleted.statusCode).toBe(204);
    const deletion = app.idp.audit.query({ type: 'admin.user.delete' });
    expect(deletion).toHaveLength(1);
    expect(deletion[0]?.details).toEqual({ userId: 'usr_bob', grantsRevoked: 1, idTokensRevoked: 1, sessionsEnded: 1 });
    expect((await app.inject({ method: 'DELETE', url: '/admin/api/users/usr_bob', headers: ADMIN })).statusCode).toBe(
      404,
    );
    expect(app.idp.audit.query({ type: 'admin.user.delete' })).toHaveLength(1);
  });
});
