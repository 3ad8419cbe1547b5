import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { hashOpaqueToken } from '../../src/tokens/opaque-token.js';
import { authorizationParams, authorize, type CookieJar, hiddenField, signInForCode } from '../support/browser.js';
import {
  answerPasskeyPage,
  authenticator,
  creationOptions,
  enrolPasskey,
  open,
  post,
  requestOptions,
} from '../support/passkeys.js';
import { startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const amrOf = (jar: CookieJar) =>
  app.idp.storage.findSession(hashOpaqueToken(jar.cookies.get('idp_session') ?? ''), Math.floor(clock.now() / 1000))
    ?.amr;
const counterOf = (credentialId: string | undefined) => app.idp.storage.findPasskey(credentialId ?? '')?.counter;
const lastSignIn = () => app.idp.audit.query({ type: 'sign_in', limit: 1 })[0];

/** Alice (password session, one passkey) on the second-factor page of a request asking for mfa. */
async function aliceAtSecondFactor() {
  const { jar } = await signInForCode(app, 'alice');
  const device = authenticator();
  await enrolPasskey(app, jar, device);
  const asked = await authorize(app, jar, authorizationParams({ acr_values: 'urn:ema:acr:mfa' }).params);
  const page = await open(app, jar, String(asked.headers.location));
  return { jar, device, page: page.body, credentialId: device.credentialIds[0] };
}

describe('passkey assertions that must be refused', () => {
  it('[IDP-PASSKEY-BAD-INPUT] [IDP-WEBAUTHN-7.2-ASSERTION] refuses a wrong origin, challenge, type or RP, or no user verification: 400, audited, session and counter unchanged', async () => {
    const { jar, device, page, credentialId } = await aliceAtSecondFactor();
    const cases = [
      [{ origin: 'https://idp.evil.example' }, 'passkey_wrong_origin'],
      [{ challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'passkey_wrong_challenge'],
      [{ type: 'webauthn.create' }, 'passkey_wrong_type'],
      [{ userVerified: false }, 'passkey_user_not_verified'],
      [{ rpId: 'evil.example' }, 'passkey_signature_invalid'],
    ] as const;
    let current = page;
    for (const [tampering, reason] of cases) {
      const refused = await answerPasskeyPage(app, jar, current, device, tampering);
      expect({ reason, status: refused.statusCode }).toEqual({ reason, status: 400 });
      expect(refused.body).toContain('role="alert"');
      expect(lastSignIn()).toMatchObject({ outcome: 'failure', reason, details: { credentialId } });
      expect(amrOf(jar)).toEqual(['pwd']);
      expect(counterOf(credentialId)).toBe(0);
      // The refusal page carries a new challenge: try again from it.
      current = refused.body;
    }
    expect((await answerPasskeyPage(app, jar, current, device)).statusCode).toBe(302);
  });

  it('[IDP-PASSKEY-BAD-INPUT] [IDP-WEBAUTHN-13.4.3-CHALLENGE-ONCE] refuses a replayed assertion: each challenge answers once', async () => {
    const { jar, device, page } = await aliceAtSecondFactor();
    const assertion = JSON.stringify(device.assert(requestOptions(page)));
    const fields = {
      csrf_token: hiddenField(page, 'csrf_token') ?? '',
      request_id: hiddenField(page, 'request_id') ?? '',
      credential: assertion,
    };
    expect((await post(app, jar, '/login/passkey', fields)).statusCode).toBe(302);
    // The same answer again, on a new request of the same browser: its challenge is gone.
    const asked = await authorize(
      app,
      jar,
      authorizationParams({ acr_values: 'urn:ema:acr:mfa', prompt: 'login' }).params,
    );
    const replay = await post(app, jar, '/login/passkey', {
      ...fields,
      request_id: hiddenField(asked.body, 'request_id') ?? '',
      csrf_token: hiddenField(asked.body, 'csrf_token') ?? '',
    });
    expect(replay.statusCode).toBe(400);
    expect(lastSignIn()).toMatchObject({ outcome: 'failure', reason: 'passkey_challenge_missing' });
  });

  it('[IDP-PASSKEY-BAD-INPUT] [IDP-WEBAUTHN-6.1.1-COUNTER] refuses a signature counter that does not move forward (a cloned key)', async () => {
    const { jar, device, page, credentialId } = await aliceAtSecondFactor();
    expect((await answerPasskeyPage(app, jar, page, device, { counter: 5 })).statusCode).toBe(302);
    expect(counterOf(credentialId)).toBe(5);
    // A new sign-in (max_age=0, a second later), this time with the passkey alone.
    clock.advance(1);
    const again = await authorize(
      app,
      jar,
      authorizationParams({ acr_values: 'urn:ema:acr:mfa', max_age: '0' }).params,
    );
    expect(again.statusCode).toBe(200);
    const passkeyPage = await open(app, jar, `/login/passkey?request=${hiddenField(again.body, 'request_id')}`);
    const cloned = await answerPasskeyPage(app, jar, passkeyPage.body, device, { counter: 4 });
    expect(cloned.statusCode).toBe(400);
    expect(cloned.body).toContain('it may have been copied');
    expect(lastSignIn()).toMatchObject({ reason: 'passkey_counter_regressed' });
    expect(counterOf(credentialId)).toBe(5);
  });

  it("[IDP-PASSKEY-BAD-INPUT] [IDP-WEBAUTHN-7.2-ASSERTION] refuses a credential it never registered, another user's passkey, a foreign user handle, and garbage", async () => {
    const { jar, device, page } = await aliceAtSecondFactor();
    // Bob's passkey, where Alice's second factor is expected.
    const bob = await signInForCode(app, 'bob');
    const bobsDevice = authenticator();
    await enrolPasskey(app, bob.jar, bobsDevice);
    const foreign = await answerPasskeyPage(app, jar, page, bobsDevice);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('belongs to another account');
    expect(lastSignIn()).toMatchObject({ reason: 'passkey_foreign_credential' });
    // A credential made for this IdP's options but never registered here.
    const carol = await signInForCode(app, 'carol');
    const stranger = authenticator();
    stranger.register(creationOptions((await open(app, carol.jar, '/account')).body));
    const unknown = await answerPasskeyPage(app, jar, foreign.body, stranger);
    expect(lastSignIn()).toMatchObject({ reason: 'passkey_unknown_credential' });
    const handle = await answerPasskeyPage(app, jar, unknown.body, device, { userHandle: 'c29tZW9uZS1lbHNl' });
    expect(lastSignIn()).toMatchObject({ reason: 'passkey_user_handle_mismatch' });
    const garbage = await post(app, jar, '/login/passkey', {
      csrf_token: hiddenField(handle.body, 'csrf_token') ?? '',
      request_id: hiddenField(handle.body, 'request_id') ?? '',
      credential: '{"id": 1}',
    });
    expect(garbage.statusCode).toBe(400);
    expect(lastSignIn()).toMatchObject({ reason: 'passkey_malformed' });
    expect(amrOf(jar)).toEqual(['pwd']);
  });
});
