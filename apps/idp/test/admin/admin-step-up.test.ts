import { ACR_MULTI_FACTOR } from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { hashOpaqueToken } from '../../src/tokens/opaque-token.js';
import { CookieJar, hiddenField, signInForCode, submitLogin } from '../support/browser.js';
import { authenticator, enrolPasskey, open, post } from '../support/passkeys.js';
import { form, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const TOKEN = 'Bearer test-admin-api-token-0123456789abcdef';
const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({
    method,
    url: `/admin/api${url}`,
    headers: { authorization: TOKEN },
    ...(payload === undefined ? {} : { payload }),
  });

async function consoleAdmin(): Promise<CookieJar> {
  const jar = new CookieJar();
  const page = await open(app, jar, '/login?return_to=%2Fadmin%2Fpolicy');
  await submitLogin(app, jar, page.body, 'admin', 'admin-password');
  return jar;
}

const rule = (overrides: object) => ({
  description: 'Sales may write tickets after a second factor',
  effect: 'allow',
  subjectType: 'group',
  subject: 'sales',
  resourceId: 'acme-tickets',
  scopes: ['tickets.write'],
  ...overrides,
});

describe('step-up in the admin console and API', () => {
  it('[IDP-POLICY-SECOND-FACTOR] takes "requires a second factor" and "signed in within" as rule conditions; refuses methods no sign-in class can be asked for', async () => {
    const created = await api(
      'POST',
      '/policy-rules',
      rule({ id: 'sales-write', requiredAmr: ['mfa'], maxAuthAgeSeconds: 900 }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ requiredAmr: ['mfa'], maxAuthAgeSeconds: 900 });
    const refused = await api('POST', '/policy-rules', rule({ requiredAmr: ['pwd'] }));
    expect(refused.json()).toEqual({
      error: 'invalid_request',
      error_description: 'requiredAmr: this IdP can require mfa, user (mfa: a second factor), not pwd',
    });

    const jar = await consoleAdmin();
    const page = await open(app, jar, '/admin/policy');
    expect(page.body).toContain('Requires a second factor (a passkey)');
    expect(page.body).toContain('requires a second factor; signed in within 900 s');
    const added = await post(app, jar, '/admin/policy', {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      id: 'console-write',
      description: 'Console rule',
      effect: 'allow',
      subjectType: 'user',
      subject: 'bob',
      resourceId: 'acme-tickets',
      scopes: 'tickets.write',
      maxAuthAgeSeconds: '',
      requireSecondFactor: 'on',
    });
    expect(added.statusCode).toBe(303);
    expect(app.idp.storage.findPolicyRule('console-write')).toMatchObject({
      requiredAmr: ['mfa'],
      maxAuthAgeSeconds: null,
    });
  });

  it('[IDP-ADMIN-WHAT-IF] [IDP-POLICY-SECOND-FACTOR] explains the second factor: the step-up the exchange would ask for, and the grant once it is there', async () => {
    const question = { username: 'alice', clientId: 'agent-host', resource: 'http://localhost:3300/mcp' };
    const weak = (await api('POST', '/what-if', { ...question, scope: 'tickets.read tickets.write' })).json();
    expect(weak).toMatchObject({
      decision: 'step_up_required',
      wouldRespondWith: 'insufficient_user_authentication',
      stepUpRequest: { acrValues: ACR_MULTI_FACTOR },
      matchedRules: expect.arrayContaining([
        expect.objectContaining({
          id: 'engineering-tickets-write',
          outcome: 'conditions_not_met',
          unmetConditions: ['the rule requires a second factor (amr mfa)'],
        }),
      ]),
    });
    expect(weak.explanation.join('\n')).toContain(`acr_values=${ACR_MULTI_FACTOR}`);
    const strong = await api('POST', '/what-if', {
      ...question,
      scope: 'tickets.read tickets.write',
      amr: ['pwd', 'hwk', 'user', 'mfa'],
    });
    expect(strong.json()).toMatchObject({ decision: 'allow', grantedScopes: ['tickets.read', 'tickets.write'] });
    expect((await api('POST', '/what-if', { ...question, scope: 'tickets.read' })).json()).toMatchObject({
      decision: 'allow',
    });

    const jar = await consoleAdmin();
    const query = form({ ...question, scope: 'tickets.write', amr: 'pwd' });
    const page = await open(app, jar, `/admin/what-if?${query}`);
    expect(page.body).toContain('Token exchange would answer: <strong>insufficient_user_authentication</strong>');
    expect(page.body).toContain('the rule requires a second factor (amr mfa)');
    expect(page.body).toContain('a password and a passkey (pwd hwk user mfa)');
  });

  it("[IDP-ADMIN-PASSKEY-RESET] lists a user's passkeys and resets them (console and API): sessions and grants revoked, audited", async () => {
    const alice = await signInForCode(app, 'alice');
    await enrolPasskey(app, alice.jar, authenticator());
    const listed = (await api('GET', '/users/usr_alice/passkeys')).json();
    expect(listed).toEqual([
      expect.objectContaining({ name: 'Laptop', deviceType: 'singleDevice', backedUp: false, lastUsedAt: null }),
    ]);
    expect(Object.keys(listed[0]).sort()).toEqual([
      'backedUp',
      'createdAt',
      'credentialId',
      'deviceType',
      'lastUsedAt',
      'name',
    ]);

    const jar = await consoleAdmin();
    const users = await open(app, jar, '/admin/users');
    expect(users.body).toContain('Passkeys: 1');
    const reset = await post(app, jar, '/admin/users/usr_alice/passkeys/reset', {
      csrf_token: hiddenField(users.body, 'csrf_token') ?? '',
    });
    expect(reset.headers.location).toBe('/admin/users?done=passkeys_reset');
    expect(app.idp.storage.listPasskeys('usr_alice')).toHaveLength(0);
    const now = Math.floor(clock.now() / 1000);
    expect(
      app.idp.storage.findSession(hashOpaqueToken(alice.jar.cookies.get('idp_session') ?? ''), now),
    ).toBeUndefined();
    expect(app.idp.audit.query({ type: 'admin.user.passkeys_reset', limit: 1 })[0]).toMatchObject({
      actor: 'admin',
      details: { userId: 'usr_alice', passkeysRemoved: 1, grantsRevoked: 1, sessionsEnded: 1 },
    });
    // The API does the same (nothing left to remove now), and refuses an unknown user.
    expect((await api('DELETE', '/users/usr_alice/passkeys')).json()).toEqual({
      passkeysRemoved: 0,
      grantsRevoked: 0,
      idTokensRevoked: 0,
      sessionsEnded: 0,
    });
    expect((await api('DELETE', '/users/usr_nobody/passkeys')).statusCode).toBe(404);
  });
});
