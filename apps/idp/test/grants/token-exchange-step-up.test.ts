import { TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import type { PolicyRule } from '../../src/storage/directory-types.js';
import { tokensFor } from '../support/browser.js';
import { AGENT, basic, form, MCP, RAS, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

function setEngineeringRule(conditions: Pick<PolicyRule, 'maxAuthAgeSeconds' | 'requiredAmr'>): void {
  const rule = app.idp.storage.findPolicyRule('engineering-tickets');
  if (rule === undefined) throw new Error('rule missing');
  app.idp.storage.replacePolicyRule({ ...rule, ...conditions });
}

async function exchangeAsAlice(advanceSeconds = 0) {
  const { id_token } = await tokensFor(app, 'alice');
  clock.advance(advanceSeconds);
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: TOKEN_TYPE_ID_JAG,
      subject_token: id_token,
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
      audience: RAS,
      resource: MCP,
      scope: 'tickets.read',
    }),
  });
}

describe('token exchange step-up hints', () => {
  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] answers insufficient_user_authentication with acr_values when the sign-in lacks a required method', async () => {
    setEngineeringRule({ maxAuthAgeSeconds: null, requiredAmr: ['mfa'] });
    const response = await exchangeAsAlice();
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: mfa)',
      acr_values: 'mfa',
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] names every required method in one acr value, next to max_age when the rule also has one', async () => {
    setEngineeringRule({ maxAuthAgeSeconds: 300, requiredAmr: ['pwd', 'hwk'] });
    expect((await exchangeAsAlice()).json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: pwd hwk)',
      max_age: 300,
      acr_values: 'hwk+pwd',
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] sends no acr_values when only the sign-in age fails (the methods are already there)', async () => {
    setEngineeringRule({ maxAuthAgeSeconds: 300, requiredAmr: ['pwd'] });
    expect((await exchangeAsAlice(301)).json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a more recent sign-in is required',
      max_age: 300,
    });
  });
});
