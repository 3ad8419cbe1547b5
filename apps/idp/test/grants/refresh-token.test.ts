import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import { AGENT, basic, form, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp({ config: { refreshTokenTtlSeconds: 3600 } }));
});
afterEach(async () => {
  await app.close();
});

function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }),
  });
}

const INVALID = { error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' };

describe('refresh_token grant', () => {
  it('[IDP-RFC9700-REFRESH-ROTATION] rotates the refresh token on every use', async () => {
    const { refresh_token } = await tokensFor(app, 'alice');
    const response = await refresh(String(refresh_token));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.refresh_token).not.toBe(refresh_token);
    expect(typeof body.id_token).toBe('string');
    expect((await refresh(body.refresh_token)).statusCode).toBe(200);
  });

  it('[IDP-RFC9700-REFRESH-REUSE] reuse of a rotated token revokes the whole family', async () => {
    const { refresh_token } = await tokensFor(app, 'alice');
    const rotated = (await refresh(String(refresh_token))).json();
    const reuse = await refresh(String(refresh_token));
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toEqual(INVALID);
    // The legitimate successor is revoked too: the family is gone.
    expect((await refresh(rotated.refresh_token)).json()).toEqual(INVALID);
    expect(app.idp.audit.query({ type: 'token.refresh' }).map((record) => record.reason)).toEqual([
      'refresh_token_revoked',
      'refresh_token_reused',
    ]);
  });

  it('refuses an expired refresh token', async () => {
    const { refresh_token } = await tokensFor(app, 'alice');
    clock.advance(3601);
    expect((await refresh(String(refresh_token))).json()).toEqual(INVALID);
  });

  it('[IDP-RFC6749-6-SCOPE] may narrow the scope but never widen it', async () => {
    const { refresh_token } = await tokensFor(app, 'alice', { scope: 'openid email offline_access' });
    const narrowed = await refresh(String(refresh_token), { scope: 'openid' });
    expect(narrowed.json().scope).toBe('openid');
    const widened = await refresh(narrowed.json().refresh_token, { scope: 'openid groups' });
    expect(widened.statusCode).toBe(400);
    expect(widened.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'the scope exceeds the original grant',
    });
  });

  it('refuses a missing refresh_token parameter', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: 'refresh_token' }),
    });
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'refresh_token is required' });
  });
});
