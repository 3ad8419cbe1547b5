import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { PASSKEY_CHANGE_MAX_AGE_SECONDS } from '../../src/routes/account.js';
import { CookieJar, hiddenField, signInForCode } from '../support/browser.js';
import { answerPasskeyPage, authenticator, creationOptions, enrolPasskey, open, post } from '../support/passkeys.js';
import { startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const ALICE = 'usr_alice';
const passkeysOf = (userId: string) => app.idp.storage.listPasskeys(userId);
const lastAudit = (type: string) => app.idp.audit.query({ type, limit: 1 })[0];

describe('the account page', () => {
  it('[IDP-PASSKEY-ENROL] asks an anonymous visitor to sign in first, and shows a signed-in employee their passkeys', async () => {
    const anonymous = await open(app, new CookieJar(), '/account');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/login?return_to=%2Faccount');
    const { jar } = await signInForCode(app, 'alice');
    const page = await open(app, jar, '/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your account');
    expect(page.body).toContain('You have no passkey yet.');
    expect(page.body).toContain('data-webauthn="registration"');
    // WebAuthn L3 §14.6.1: the user handle is random, never the username or the user id.
    const options = creationOptions(page.body);
    expect(Buffer.from(options.user.id, 'base64url').toString('latin1')).not.toContain('alice');
    // The only page of the flow that runs script: same-origin files only (the sign-in page has none).
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('[IDP-PASSKEY-ENROL] [IDP-WEBAUTHN-7.1-REGISTRATION] enrols a passkey after a password sign-in (user verification required), audited', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const added = await enrolPasskey(app, jar, authenticator());
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/account?done=added');
    expect(passkeysOf(ALICE)).toHaveLength(1);
    expect(passkeysOf(ALICE)[0]).toMatchObject({ name: 'Laptop', deviceType: 'singleDevice', counter: 0 });
    expect(lastAudit('passkey.register')).toMatchObject({ outcome: 'success', subject: ALICE });
    const page = await open(app, jar, '/account?done=added');
    expect(page.body).toContain('Passkey added.');
    expect(page.body).toContain('Laptop');
  });

  it('[IDP-PASSKEY-SEVERAL] several passkeys: a second one needs a sign-in with the first, one user handle for all; one can be removed, audited', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const laptop = authenticator();
    await enrolPasskey(app, jar, laptop);
    // A password-only session may enrol the first passkey, not a second one: it must prove it holds the first.
    const page = await open(app, jar, '/account');
    expect(page.body).not.toContain('data-webauthn="registration"');
    expect(page.body).toContain("Confirm it's you");
    const refused = await post(app, jar, '/account/passkeys', {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      credential: '{}',
    });
    expect(refused.statusCode).toBe(403);

    // Confirm with the first passkey (the account page's own sign-in asks for it), then add a synced one.
    const confirm = await open(app, jar, '/account/confirm');
    const password = await post(app, jar, '/login', {
      csrf_token: hiddenField(confirm.body, 'csrf_token') ?? '',
      request_id: hiddenField(confirm.body, 'request_id') ?? '',
      username: 'alice',
      password: 'alice-password',
    });
    expect(password.statusCode).toBe(303);
    const secondFactor = await open(app, jar, String(password.headers.location));
    const confirmed = await answerPasskeyPage(app, jar, secondFactor.body, laptop);
    expect(confirmed.headers.location).toBe('/account');
    const phone = authenticator({ synced: true });
    expect((await enrolPasskey(app, jar, phone)).statusCode).toBe(303);
    expect(
      passkeysOf(ALICE)
        .map((passkey) => passkey.deviceType)
        .sort(),
    ).toEqual(['multiDevice', 'singleDevice']);
    // One user handle for all of a user's passkeys.
    expect(new Set(passkeysOf(ALICE).map((passkey) => passkey.userHandle)).size).toBe(1);

    const account = await open(app, jar, '/account');
    const [first] = passkeysOf(ALICE);
    const removed = await post(app, jar, `/account/passkeys/${first?.credentialId}/delete`, {
      csrf_token: hiddenField(account.body, 'csrf_token') ?? '',
    });
    expect(removed.headers.location).toBe('/account?done=removed');
    expect(passkeysOf(ALICE)).toHaveLength(1);
    expect(lastAudit('passkey.remove')).toMatchObject({
      subject: ALICE,
      details: { credentialId: first?.credentialId },
    });
  });

  it('[IDP-PASSKEY-ENROL] refuses enrolment on a session older than the limit, and without the account CSRF token', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const page = await open(app, jar, '/account');
    const credential = JSON.stringify(authenticator().register(creationOptions(page.body)));
    const forged = await post(app, jar, '/account/passkeys', { csrf_token: 'forged', credential });
    expect(forged.statusCode).toBe(403);
    clock.advance(PASSKEY_CHANGE_MAX_AGE_SECONDS + 1);
    const stale = await post(app, jar, '/account/passkeys', {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      credential,
    });
    expect(stale.statusCode).toBe(403);
    expect(passkeysOf(ALICE)).toHaveLength(0);
  });

  it('[IDP-PASSKEY-BAD-INPUT] [IDP-WEBAUTHN-7.1-REGISTRATION] refuses a registration from another origin, for another challenge, replayed or without user verification; nothing is stored, each refusal audited', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const cases = [
      [{ origin: 'https://evil.example' }, 'passkey_wrong_origin'],
      [{ challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'passkey_wrong_challenge'],
      [{ type: 'webauthn.get' }, 'passkey_wrong_type'],
      [{ userVerified: false }, 'passkey_user_not_verified'],
      [{ rpId: 'evil.example' }, 'passkey_attestation_invalid'],
    ] as const;
    for (const [tampering, reason] of cases) {
      const refused = await enrolPasskey(app, jar, authenticator(), tampering);
      expect({ reason, status: refused.statusCode }).toEqual({ reason, status: 400 });
      expect(lastAudit('passkey.register')).toMatchObject({ outcome: 'failure', reason, subject: ALICE });
    }
    // The same registration posted twice: the challenge answered once.
    const page = await open(app, jar, '/account');
    const fields = {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      credential: JSON.stringify(authenticator().register(creationOptions(page.body))),
    };
    expect((await post(app, jar, '/account/passkeys', fields)).statusCode).toBe(303);
    const again = await open(app, jar, '/account');
    expect(
      (
        await post(app, jar, '/account/passkeys', {
          ...fields,
          csrf_token: hiddenField(again.body, 'csrf_token') ?? '',
        })
      ).statusCode,
    ).toBe(403);
    expect(passkeysOf(ALICE)).toHaveLength(1);
  });
});
