import { decodeUnverified } from '@ema/jwt';
import { ACR_MULTI_FACTOR } from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import type { PolicyRule } from '../../src/storage/directory-types.js';
import { authorizationParams, authorize, redeemCode, signInForCode, tokensFor } from '../support/browser.js';
import { answerPasskeyPage, authenticator, enrolPasskey, open } from '../support/passkeys.js';
import { idJagRequest, postToken, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

function setReadRule(conditions: Pick<PolicyRule, 'maxAuthAgeSeconds' | 'requiredAmr'>): void {
  const rule = app.idp.storage.findPolicyRule('engineering-tickets-read');
  if (rule === undefined) throw new Error('rule missing');
  app.idp.storage.replacePolicyRule({ ...rule, ...conditions });
}

const exchange = (idToken: string, scope: string) => postToken(app, idJagRequest(idToken, { scope }));

async function exchangeAsAlice(advanceSeconds = 0, scope = 'tickets.read') {
  const { id_token } = await tokensFor(app, 'alice');
  clock.advance(advanceSeconds);
  return exchange(id_token, scope);
}

describe('token exchange step-up hints', () => {
  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] answers insufficient_user_authentication with the acr_values of a second factor', async () => {
    setReadRule({ maxAuthAgeSeconds: null, requiredAmr: ['mfa'] });
    const response = await exchangeAsAlice();
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: mfa)',
      acr_values: ACR_MULTI_FACTOR,
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] hints max_age next to acr_values when the rule has both', async () => {
    setReadRule({ maxAuthAgeSeconds: 300, requiredAmr: ['mfa'] });
    expect((await exchangeAsAlice()).json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: mfa)',
      max_age: 300,
      acr_values: ACR_MULTI_FACTOR,
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] sends no acr_values when only the sign-in age fails and the rule asks for no method', async () => {
    setReadRule({ maxAuthAgeSeconds: 300, requiredAmr: null });
    expect((await exchangeAsAlice(301)).json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a more recent sign-in is required',
      max_age: 300,
    });
  });
});

describe('the demo policy: tickets.write after a second factor', () => {
  it('[IDP-POLICY-SECOND-FACTOR] [IDP-STEP-UP-CONTEXT-CARRIED] refuses write to a password sign-in, grants it after the passkey step-up; the ID-JAG carries acr, amr and auth_time', async () => {
    const { jar, code, verifier } = await signInForCode(app, 'alice');
    const passwordToken = (await redeemCode(app, code, verifier)).json<{ id_token: string }>().id_token;
    // Reading needs nothing more.
    expect((await exchange(passwordToken, 'tickets.read')).statusCode).toBe(200);
    const refused = await exchange(passwordToken, 'tickets.read tickets.write');
    expect(refused.json()).toMatchObject({ error: 'insufficient_user_authentication', acr_values: ACR_MULTI_FACTOR });
    expect(app.idp.audit.query({ type: 'id_jag.exchange', limit: 1 })[0]).toMatchObject({
      outcome: 'deny',
      reason: 'policy_step_up_required',
    });

    // The step-up the client is told to do: acr_values at /authorize, the passkey, a new ID token.
    const device = authenticator();
    await enrolPasskey(app, jar, device);
    clock.advance(10);
    const { params, verifier: stepUpVerifier } = authorizationParams({ acr_values: ACR_MULTI_FACTOR });
    const asked = await authorize(app, jar, params);
    const answered = await answerPasskeyPage(
      app,
      jar,
      (await open(app, jar, String(asked.headers.location))).body,
      device,
    );
    const stepUpCode = new URL(String(answered.headers.location)).searchParams.get('code') ?? '';
    const strongToken = (await redeemCode(app, stepUpCode, stepUpVerifier)).json<{ id_token: string }>().id_token;

    const allowed = await exchange(strongToken, 'tickets.read tickets.write');
    expect(allowed.statusCode).toBe(200);
    const idJag = decodeUnverified(allowed.json<{ access_token: string }>().access_token)?.claims;
    const idToken = decodeUnverified(strongToken)?.claims;
    expect(idJag).toMatchObject({
      scope: 'tickets.read tickets.write',
      acr: ACR_MULTI_FACTOR,
      amr: ['pwd', 'hwk', 'user', 'mfa'],
      auth_time: idToken?.auth_time,
    });
  });
});
